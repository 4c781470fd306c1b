"""Run the targets features (临兰政发〔2022〕2号 的两个“十四五”规划；临兰政办字〔2022〕15号).

The steps live in conftest.py.
"""

from pytest_bdd import scenarios

scenarios("../../features/targets")
