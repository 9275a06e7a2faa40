/*
 * size_class_pool.h - the size-class pool (samples/SizeClassPool, written in C#) as a C library: one allocator for
 * any size, from size classes of 16 B to 32 KiB (each a reference pool) and NativeMemory (malloc) above.
 *
 * Link with -lmemorypool (libmemorypool.so, built by `make native`). The declarations below are the ones the
 * source generator writes for [MemoryStrategy(NativeExport = "size_class_pool")] (a test checks they match).
 */
#ifndef SIZE_CLASS_POOL_H
#define SIZE_CLASS_POOL_H

#include "memory_strategy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates a size-class pool with its defaults: 4,096 blocks in each class up to 4 KiB, 512 in each class above,
 * requests above 32 KiB (and up to 1 GiB) served by malloc; 110 MiB of address space reserved, resident only as blocks are used.
 * Returns its vtable, or NULL if it could not be built. Double and foreign frees are refused and counted. As for
 * memory_pool_create: not async-signal-safe; from a thread's exit destructors (pthread_key_create), once the thread
 * has called allocate, deallocate or a validator before, allocate returns NULL and deallocate leaves the block
 * allocated, leaked until the pool is destroyed (malloc's blocks above 32 KiB too: destroy frees them). */
MemoryStrategy* size_class_pool_create(void);

/* Disposes the pool and every strategy inside it and releases the vtable: every block it served becomes invalid and
 * its memory goes back (the classes' reservation, and the blocks malloc served above 32 KiB that were never freed).
 * NULL, unknown and already destroyed pointers are ignored. Any strategy this library's create functions returned is
 * destroyed, whichever create made it (a memory_pool_create pointer included: see memory_pool_destroy). */
void size_class_pool_destroy(MemoryStrategy* strategy);

#ifdef __cplusplus
}
#endif

#endif /* SIZE_CLASS_POOL_H */
