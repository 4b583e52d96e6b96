"""The mawkib's actions, one module per part of the work (seasons, applications, roster,
day of service); every public function is `<entity>_<verb>`, one transaction, audited."""
