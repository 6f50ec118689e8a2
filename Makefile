# `sam build` runs one target per function (BuildMethod: makefile), once per group of
# functions with the same code: every function gets the same artifact, built for the
# template's runtime (python3.12, arm64) by infra/deploy/build.py. See docs/deploy.md.
PYTHON ?= $(firstword $(wildcard .venv/bin/python) python3)

build-%:
	$(PYTHON) -m infra.deploy.build "$(ARTIFACTS_DIR)"
