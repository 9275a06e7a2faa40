# Mirrors the seed's build section: make clean && make all; make test; make example.
CONFIG ?= Release
DOTNET ?= dotnet

.PHONY: all test example clean

all:
	$(DOTNET) build MemoryStrategy.sln -c $(CONFIG)

test:
	$(DOTNET) test MemoryStrategy.sln -c $(CONFIG)

example:
	$(DOTNET) run --project samples/Quickstart -c $(CONFIG)

clean:
	$(DOTNET) clean MemoryStrategy.sln -c $(CONFIG) >/dev/null
	find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
