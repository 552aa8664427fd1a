# The README's two commands: `make demo` and `make test`. Both run `make setup`
# first, which installs everything a fresh machine lacks: the Python packages
# (pinned by constraints.txt), the embedded Neo4j launcher (Maven) and Chromium
# for the browser tests.

PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.ringscope-installed
LAUNCHER := graph/launcher/target/ringscope-neo4j-launcher.jar
JAVA_SOURCES := $(shell find graph/launcher/src -name '*.java')
PYTEST_ARGS ?=

.PHONY: setup demo test test-fast browser lock clean

setup: $(STAMP) $(LAUNCHER) browser

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

$(LAUNCHER): graph/launcher/pom.xml $(JAVA_SOURCES)
	mvn -q -B -f graph/launcher/pom.xml package -DskipTests

# Chromium for the browser tests, and a CJK font so Chinese renders as text, not boxes.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
			|| ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
		echo "installing Debian chromium, chromium-driver and fonts-wqy-microhei for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver fonts-wqy-microhei >/dev/null; \
	fi

demo: setup
	$(VENV)/bin/ringscope demo

test: setup
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# The inner loop: pure unit tests, no Neo4j and no browser.
test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -m "not neo4j and not browser" $(PYTEST_ARGS)

# Re-pin every Python dependency after changing pyproject.toml.
lock:
	$(VENV)/bin/pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf $(VENV) graph/launcher/target
