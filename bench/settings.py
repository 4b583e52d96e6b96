"""The app as the benchmarks run it: the production settings, plus the baseline views the
benchmarks measure the app against (bench/urls.py). Production never loads this module;
`bench_env` in support.py points DJANGO_SETTINGS_MODULE here."""

from hamafza.settings import *  # noqa: F403  (the same app, only more routes)

ROOT_URLCONF = "bench.urls"
