"""Persian-language helpers with no Django dependency.

Modules: ``digits`` (digit conversion, number formatting), ``dates`` (Jalali calendar),
``lunar`` (lunar Hijri dates as Iran's official calendar has them) and ``validators``
(national code, mobile number). Import from the modules directly.
"""
