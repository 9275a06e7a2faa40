# Mirrors the C interface's build section: make clean && make all; make test; make example.
CONFIG ?= Release
DOTNET ?= dotnet
CC ?= gcc
RID ?= linux-x64
NATIVE_OUT := native/build
CFLAGS ?= -std=c11 -O2 -Wall -Wextra -Werror -pthread
C_EXAMPLES := single_threaded_example thread_safe_example validator_example foreign_self_check \
	single_threaded_example_size_class_pool thread_safe_example_size_class_pool size_class_pool_example thread_exit_calls \
	fork_child_calls full_capacity_calls

.PHONY: all test example native native-examples run-native-examples bench-c bench-floor clean deps

all:
	$(DOTNET) build MemoryStrategy.sln -c $(CONFIG)

# The prerequisites beyond the .NET SDK (gcc, make, binutils, zlib, mimalloc), installed with apt-get if missing.
deps:
	bash scripts/install-deps.sh

test:
	$(DOTNET) test MemoryStrategy.sln -c $(CONFIG)

# The C interface's examples twice: from C# (samples/Quickstart) and from C, against the reference pool and the
# size-class pool written in C# and published as the NativeAOT library native/build/libmemorypool.so.
example: run-native-examples
	$(DOTNET) run --project samples/Quickstart -c $(CONFIG)

native:
	$(DOTNET) publish native/MemoryPool.Native -c $(CONFIG) -r $(RID) -o $(NATIVE_OUT)

native-examples: native
	$(CC) $(CFLAGS) -Iinclude -Inative native/single_threaded_example.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/single_threaded_example
	$(CC) $(CFLAGS) -Iinclude -Inative native/thread_safe_example.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/thread_safe_example
	$(CC) $(CFLAGS) -Iinclude -Inative native/validator_example.c native/c_pool.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/validator_example
	$(CC) $(CFLAGS) -Iinclude -Inative native/foreign_self_check.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/foreign_self_check
	$(CC) $(CFLAGS) -DSIZE_CLASS_POOL -Iinclude -Inative native/single_threaded_example.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/single_threaded_example_size_class_pool
	$(CC) $(CFLAGS) -DSIZE_CLASS_POOL -Iinclude -Inative native/thread_safe_example.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/thread_safe_example_size_class_pool
	$(CC) $(CFLAGS) -Iinclude -Inative native/size_class_pool_example.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/size_class_pool_example
	$(CC) $(CFLAGS) -Iinclude -Inative native/thread_exit_calls.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/thread_exit_calls
	$(CC) $(CFLAGS) -Iinclude -Inative native/fork_child_calls.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/fork_child_calls
	$(CC) $(CFLAGS) -Iinclude -Inative native/full_capacity_calls.c -L$(NATIVE_OUT) -lmemorypool -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/full_capacity_calls

run-native-examples: native-examples
	@for example in $(C_EXAMPLES); do echo "== $$example (C)"; ./$(NATIVE_OUT)/$$example || exit 1; done

# The pool from C (the vtable, the validated worker, the exported validators, and under them an empty function called
# the same way) against glibc malloc and mimalloc, in one process, round-robin (native/bench/bench_c.c). Needs
# libmimalloc2.0 (make deps).
bench-c: native
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC native/bench/empty_validator.c -o $(NATIVE_OUT)/libbenchfloor.so
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -Iinclude -Inative native/bench/bench_c.c -L$(NATIVE_OUT) -lmemorypool -lbenchfloor -ldl -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/bench_c
	./$(NATIVE_OUT)/bench_c

# The floor of any call from C into a NativeAOT library: empty [UnmanagedCallersOnly] exports against an empty C function
# behind a shared-library call (native/bench/floor_c.c).
bench-floor:
	$(DOTNET) publish native/bench/TransitionFloor -c $(CONFIG) -r $(RID) -o $(NATIVE_OUT)/floor
	$(CC) -std=c11 -O2 -shared -fPIC native/bench/floor_lib.c -o $(NATIVE_OUT)/floor/libfloorbase.so
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror native/bench/floor_c.c -L$(NATIVE_OUT)/floor -ltransitionfloor -lfloorbase -Wl,-rpath,'$$ORIGIN' -o $(NATIVE_OUT)/floor/floor_c
	./$(NATIVE_OUT)/floor/floor_c

# dotnet clean first, quiet but for errors; its failure (a corrupt obj/, say) does not stop the removal below, which
# takes every bin/ and obj/ anyway, so make clean also repairs a broken build.
clean:
	-$(DOTNET) clean MemoryStrategy.sln -c $(CONFIG) -v quiet -nologo
	rm -rf $(NATIVE_OUT)
	find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
