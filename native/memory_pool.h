/*
 * memory_pool.h - the reference memory pool (samples/MemoryPool, written in C#) as a C library.
 *
 * Link with -lmemorypool (libmemorypool.so, built by `make native`). The declarations below are the ones the
 * source generator writes for [MemoryStrategy(NativeExport = "memory_pool")] (a test checks they match).
 */
#ifndef MEMORY_POOL_H
#define MEMORY_POOL_H

#include "memory_strategy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a pool of blockCount blocks of blockSize bytes (blockSize <= 1 MiB), each aligned to alignment (a power of
 * two), and returns its vtable; NULL if the arguments are refused. strictDoubleFree pays one atomic per free so that
 * two racing frees of one block can never both succeed. Its allocate and deallocate run in C on the calling thread's
 * cache (entering .NET only for a thread's first call and the rare cases); like malloc and free they are not
 * async-signal-safe: a signal handler must not call them on a thread it interrupted inside one of them. From a thread's
 * exit destructors (pthread_key_create), which glibc runs after .NET has detached the thread, they are refused without
 * entering .NET, once the thread has called allocate, deallocate or a validator before: allocate returns NULL and
 * deallocate leaves the block allocated, leaked until the pool is destroyed (validate_* answer false where only .NET
 * could answer). Free a thread's blocks before its destructors run to get them back. */
MemoryStrategy* memory_pool_create(size_t blockSize, int32_t blockCount, size_t alignment, bool strictDoubleFree);

/* Disposes the pool (its blocks become invalid) and releases the vtable. NULL, unknown and already destroyed pointers
 * are ignored. Any strategy this library's create functions returned is destroyed, whichever create made it: a
 * size_class_pool_create pointer passed here is disposed as size_class_pool_destroy would (the library checks that the
 * pointer is live, not which kind of pool it is). */
void memory_pool_destroy(MemoryStrategy* strategy);

#ifdef __cplusplus
}
#endif

#endif /* MEMORY_POOL_H */
