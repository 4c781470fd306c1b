"""Run the expropriation features (临兰政发〔2022〕1号); the steps live in conftest.py."""

from pytest_bdd import scenarios

scenarios("../../features/expropriation")
