"""Static files with hashed names from `collectstatic`'s manifest, and a node that still
works when `collectstatic` has not been run: without a manifest every `{% static %}` would
raise and every page (the 500 page included) would fail. Then the plain names are used,
served from the apps' own folders (settings turn WhiteNoise's finders on), and one warning
says what to run."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ManifestOrPlainStaticFilesStorage(CompressedManifestStaticFilesStorage):
    _warned = False

    def stored_name(self, name: str) -> str:
        if self.hashed_files:
            return super().stored_name(name)
        if not ManifestOrPlainStaticFilesStorage._warned:
            ManifestOrPlainStaticFilesStorage._warned = True
            logger.warning(
                "no static files manifest in %s: serving static files without hashed "
                "names; run `hamafza collectstatic`",
                self.location,
            )
        return name
