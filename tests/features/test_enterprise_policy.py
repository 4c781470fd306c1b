"""Run the 惠企政策直通 features (临兰政办字〔2022〕20号); the steps live in conftest.py."""

from pytest_bdd import scenarios

scenarios("../../features/enterprise_policy")
