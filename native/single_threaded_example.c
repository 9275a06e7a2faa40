/* The C interface's "Usage Example", as close to its text as C allows.
 * initialize_your_strategy() / cleanup_your_strategy() are the reference pool's exports from the
 * NativeAOT library built from samples/MemoryPool (a strategy written in C#). */
#include <stdio.h>
#include <string.h>
#include "memory_strategy.h"
#ifdef SIZE_CLASS_POOL
#include "size_class_pool.h"
#else
#include "memory_pool.h"
#endif

#ifdef SIZE_CLASS_POOL
/* Built with -DSIZE_CLASS_POOL: the same example on the size-class pool (samples/SizeClassPool) with its defaults. */
static MemoryStrategy* initialize_your_strategy(void) { return size_class_pool_create(); }
static void cleanup_your_strategy(MemoryStrategy* strategy) { size_class_pool_destroy(strategy); }
#else
static MemoryStrategy* initialize_your_strategy(void) { return memory_pool_create(1024, 64, 16, false); }
static void cleanup_your_strategy(MemoryStrategy* strategy) { memory_pool_destroy(strategy); }
#endif

int main(void) {
    // Initialize your strategy implementation
    MemoryStrategy* strategy = initialize_your_strategy();
    if (!strategy) {
        fprintf(stderr, "Failed to initialize strategy\n");
        return 1;
    }

    // Verify strategy is valid
    if (!strategy->validate(strategy)) {
        fprintf(stderr, "Strategy validation failed\n");
        cleanup_your_strategy(strategy);
        return 1;
    }

    // Allocate memory
    void* ptr = strategy->allocate(strategy, 1024);
    if (!ptr) {
        fprintf(stderr, "Allocation failed\n");
        cleanup_your_strategy(strategy);
        return 1;
    }

    // Use the memory...
    memset(ptr, 0xAB, 1024);
    printf("allocated 1024 bytes at %p, status %d, validate_deallocation %d\n",
           ptr, (int)strategy->get_status(strategy), (int)validate_deallocation(strategy, ptr));

    // Free the memory
    strategy->deallocate(strategy, ptr);
    printf("freed; validate_deallocation after free %d\n", (int)validate_deallocation(strategy, ptr));

    // Clean up
    cleanup_your_strategy(strategy);
    printf("single-threaded example: ok\n");
    return 0;
}
