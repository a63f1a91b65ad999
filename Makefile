# The two commands of the README, and a few more.
.PHONY: demo test build install uninstall bench rules-bench kernel-sweep mine-tables man completions clean

# Review the samples (installs what the build needs, builds a release binary).
demo:
	@scripts/install-deps
	@swift build -c release --product lkml-review >/dev/null
	@LKML_REVIEW_OFFLINE=1 .build/release/lkml-review Samples/vfio-ap-lockdep-review.eml
	@LKML_REVIEW_OFFLINE=1 .build/release/lkml-review Samples/acme-adc-runtime-pm-thread.mbox
	@LKML_REVIEW_OFFLINE=1 .build/release/lkml-review --offline Samples/seed-as-received.txt

# All tests, including the corpus checks, in a release build (byte parsers are slow in debug).
# Offline: no check reaches a real server (the fetch tests start their own on 127.0.0.1).
test:
	@scripts/install-deps --test
	LKML_REVIEW_OFFLINE=1 RULES_CORPUS=1 LKML_PATCH_BIG_CORPUS=1 swift test -c release

build:
	@scripts/install-deps
	swift build -c release

# Installs the binary, the man page and the completions under PREFIX (DESTDIR for staging):
#   make install PREFIX=~/.local
# builds a release binary first; BIN=path installs that binary instead, without building.
PREFIX ?= /usr/local
BIN ?=
INSTALL_ROOT = $(DESTDIR)$(PREFIX)
install:
	@if [ -z "$(BIN)" ]; then scripts/install-deps && swift build -c release --product lkml-review; fi
	install -d "$(INSTALL_ROOT)/bin" "$(INSTALL_ROOT)/share/man/man1" \
		"$(INSTALL_ROOT)/share/bash-completion/completions" "$(INSTALL_ROOT)/share/zsh/site-functions" \
		"$(INSTALL_ROOT)/share/fish/vendor_completions.d"
	install -m 755 "$(if $(BIN),$(BIN),.build/release/lkml-review)" "$(INSTALL_ROOT)/bin/lkml-review"
	install -m 644 docs/man/lkml-review.1 "$(INSTALL_ROOT)/share/man/man1/lkml-review.1"
	install -m 644 docs/completions/lkml-review.bash "$(INSTALL_ROOT)/share/bash-completion/completions/lkml-review"
	install -m 644 docs/completions/lkml-review.zsh "$(INSTALL_ROOT)/share/zsh/site-functions/_lkml-review"
	install -m 644 docs/completions/lkml-review.fish "$(INSTALL_ROOT)/share/fish/vendor_completions.d/lkml-review.fish"

uninstall:
	rm -f "$(INSTALL_ROOT)/bin/lkml-review" "$(INSTALL_ROOT)/share/man/man1/lkml-review.1" \
		"$(INSTALL_ROOT)/share/bash-completion/completions/lkml-review" "$(INSTALL_ROOT)/share/zsh/site-functions/_lkml-review" \
		"$(INSTALL_ROOT)/share/fish/vendor_completions.d/lkml-review.fish"

bench:
	@scripts/bench

# The rules on ../shared/rules-bench (hunk mode, then --tree with Linux 6.12 prepared once in
# ~/.cache/lkml-review-bench); writes the "## Benchmark" section of docs/RULES.md. Not part of test.
rules-bench:
	@scripts/rules-bench

# The rules on the 6.12 drivers of the benchmark's lists (code the kernel accepted: every warning is a
# latent bug or a wrong finding). BASE=path/to/lkml-review compares with another build in the same run.
kernel-sweep:
	@scripts/rules-bench --prepare-only
	@swift build -c release --product lkml-review >/dev/null
	@scripts/kernel-sweep $(if $(BASE),--base $(BASE))

# Rewrites Sources/Rules/Tables/mined.yaml from a kernel tree (python3 and the release binary, which
# reads the lock wrappers' bodies; no network; about five minutes).
# TREE defaults to the Linux 6.12 tree that rules-bench prepares. Review the diff before committing.
TREE ?= $(HOME)/.cache/lkml-review-bench/linux-6.12
mine-tables:
	@scripts/install-deps
	swift build -c release --product lkml-review
	scripts/mine-tables $(TREE) --output Sources/Rules/Tables/mined.yaml

# The man page and shell completions, generated from the argument parser. The page gets the
# hand-written sections of docs/man/sections.mdoc (ENVIRONMENT, FILES, EXIT STATUS, EXAMPLES,
# SEE ALSO) merged in by scripts/man-sections; its date is the last commit's.
man:
	mkdir -p docs/man
	# A build folder of its own: the plugin's release build is not a testable one, and sharing
	# .build/release left 'swift test -c release' failing with "module … was not compiled for testing".
	swift package --scratch-path .build-man --allow-writing-to-directory docs/man generate-manual \
		--date $$(git log -1 --format=%cs 2>/dev/null || date +%F) --output-directory docs/man
	scripts/man-sections docs/man/lkml-review.1 docs/man/sections.mdoc

completions: build
	mkdir -p docs/completions
	for sh in bash zsh fish; do .build/release/lkml-review --generate-completion-script $$sh > docs/completions/lkml-review.$$sh; done

clean:
	rm -rf .build .build-*
