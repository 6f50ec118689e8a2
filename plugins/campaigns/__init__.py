"""Campaign config: the marketer's YAML (`files`), its validation (`model`), its versions and
their cache (`repository`); the `Campaign` a game receives is in `plugins.contracts`."""
