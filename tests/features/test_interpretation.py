"""Run the policy-interpretation features (临兰政办字〔2022〕13号); the steps live in conftest.py."""

from pytest_bdd import scenarios

scenarios("../../features/interpretation")
