"""Run the listing subsidy features (临兰政字〔2022〕16号 二（五）); the steps live in conftest.py."""

from pytest_bdd import scenarios

scenarios("../../features/listing")
