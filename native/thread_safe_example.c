/* The C interface's "Thread-Safe Usage Example", as close to its text as C allows, with more rounds per
 * worker so the threads really overlap. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "memory_strategy.h"
#ifdef SIZE_CLASS_POOL
#include "size_class_pool.h"
#else
#include "memory_pool.h"
#endif

#define ROUNDS 100000

#ifdef SIZE_CLASS_POOL
/* Built with -DSIZE_CLASS_POOL: the same example on the size-class pool (samples/SizeClassPool) with its defaults. */
static MemoryStrategy* initialize_your_strategy(void) { return size_class_pool_create(); }
static void cleanup_your_strategy(MemoryStrategy* strategy) { size_class_pool_destroy(strategy); }
#else
static MemoryStrategy* initialize_your_strategy(void) { return memory_pool_create(1024, 64, 16, false); }
static void cleanup_your_strategy(MemoryStrategy* strategy) { memory_pool_destroy(strategy); }
#endif

static long failures[2];

void* worker_thread(void* arg) {
    MemoryStrategy* strategy = (MemoryStrategy*)arg;

    // Always validate before use
    if (!validate_strategy(strategy)) {
        return NULL;
    }

    long failed = 0;
    for (int round = 0; round < ROUNDS; round++) {
        // Thread-safe operations
        void* ptr = strategy->allocate(strategy, 1024);
        if (ptr && validate_deallocation(strategy, ptr)) {
            // Use memory...
            memset(ptr, round & 0xFF, 1024);
            strategy->deallocate(strategy, ptr);
        } else {
            failed++;
        }
    }
    return (void*)failed;
}

int main(void) {
    MemoryStrategy* strategy = initialize_your_strategy();
    if (!strategy) {
        fprintf(stderr, "Failed to initialize strategy\n");
        return 1;
    }

    pthread_t thread1, thread2;
    pthread_create(&thread1, NULL, worker_thread, strategy);
    pthread_create(&thread2, NULL, worker_thread, strategy);

    void* r1;
    void* r2;
    pthread_join(thread1, &r1);
    pthread_join(thread2, &r2);
    failures[0] = (long)r1;
    failures[1] = (long)r2;

    StrategyStatus status = strategy->get_status(strategy);
    cleanup_your_strategy(strategy);

    printf("thread-safe example: 2 threads x %d rounds, %ld failures, status %d\n",
           ROUNDS, failures[0] + failures[1], (int)status);
    return (failures[0] + failures[1] == 0 && status == STRATEGY_STATUS_READY) ? 0 : 1;
}
