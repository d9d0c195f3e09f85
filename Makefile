# dvdesk — `make run` opens the app, `make test` runs every test.
# Both set up what they need: a .venv with the pip packages and, when run as
# root on Debian/Ubuntu, the system libraries Qt needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

QT_LIBS := libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0 \
	fonts-dejavu-core
GUI_LIBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
	libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
TOOLS := poppler-utils

.PHONY: run test lint bench venv system-libs gui-libs clean bundle icons

run: venv gui-libs
	$(BIN)/dvdesk $(ARGS)

test: venv system-libs
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check dvdesk tests
	$(BIN)/ruff format --check dvdesk tests
	# Typed strictly (pyproject [tool.mypy]); widen the list as each area is made clean.
	$(BIN)/mypy dvdesk/store dvdesk/domain dvdesk/errors.py

# dvdesk against bare baselines at 20,000 and 200,000 members (500,000 with BENCH_LARGE=1);
# demo files are built once into bench/data/, results also go to bench/results.json.
bench: venv system-libs
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

# One-folder bundle in dist/dvdesk/ (installer/README.md; Windows builds the same spec).
bundle: venv
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	  installer/dvdesk.spec
	@du -sh dist/dvdesk

# Re-render the committed PNG/.ico icons after editing resources/icons/dvdesk.svg.
icons: venv
	$(call apt_install,librsvg2-bin)
	$(BIN)/python installer/render_icons.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,bundle]'
	rm -f $(VENV)/.installed-*
	touch $@

# Installs missing Debian packages only when we are root and apt exists;
# otherwise it says what is missing and carries on.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing) >/dev/null; \
	  else echo "note: system packages missing:$$missing"; fi; \
	fi
endef

system-libs:
	$(call apt_install,$(QT_LIBS) $(TOOLS))

gui-libs: system-libs
	$(call apt_install,$(GUI_LIBS))

clean:
	rm -rf $(VENV) build dist *.egg-info
