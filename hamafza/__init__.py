"""Hamafza (هم‌افزا): the working platform of a province's network of PR offices."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hamafza")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"
