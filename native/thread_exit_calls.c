/* Calls from a thread's exit destructors, from C: each worker keeps blocks of a reference pool and of a size-class pool
 * in a pthread key whose destructor frees them (more than a thread's cache holds, so the frees would fill it), then
 * allocates and asks the exported validators, as a library freeing its per-thread buffers does. glibc runs those
 * destructors after the .NET runtime has detached the thread, so the library must answer them without .NET: nothing
 * may crash, allocate returns NULL, deallocate leaves the block allocated (the pool's until it is destroyed) and the
 * validators refuse what only .NET could answer. The pools must go on serving the other threads. Prints one line per
 * check and exits non-zero if any answer is wrong. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "memory_strategy.h"
#include "memory_pool.h"
#include "size_class_pool.h"

#define THREADS 4
#define KEPT 600
#define ROUNDS 2000

static MemoryStrategy* pools[2];
static const size_t sizes[2] = {256, 100};
static pthread_key_t buffers_key;
static int wrong;
static int destructors_run;
static int allocated_in_destructors;

static void expect(const char* what, bool ok)
{
    if (!ok) {
        __atomic_add_fetch(&wrong, 1, __ATOMIC_RELAXED);
        fprintf(stderr, "WRONG: %s\n", what);
    }
}

typedef struct Buffers {
    void* kept[2][KEPT];
} Buffers;

/* The thread's exit destructor: every kept block freed through the vtable, then more calls of every kind. */
static void free_buffers(void* value)
{
    Buffers* buffers = (Buffers*)value;
    for (int p = 0; p < 2; p++) {
        MemoryStrategy* pool = pools[p];
        /* Answered in C or refused; either way no crash. */
        (void)validate_strategy(pool);
        (void)validate_allocation(pool, sizes[p]);
        for (int i = 0; i < KEPT; i++) {
            (void)validate_deallocation(pool, buffers->kept[p][i]);
            pool->deallocate(pool, buffers->kept[p][i]);
            (void)validate_deallocation(pool, buffers->kept[p][i]);
        }

        for (int i = 0; i < 2 * KEPT; i++) {
            void* block = pool->allocate(pool, sizes[p]);
            if (block != NULL) {
                __atomic_add_fetch(&allocated_in_destructors, 1, __ATOMIC_RELAXED);
            }
        }
    }

    free(buffers);
    __atomic_add_fetch(&destructors_run, 1, __ATOMIC_RELAXED);
}

static void* worker(void* arg)
{
    (void)arg;
    Buffers* buffers = calloc(1, sizeof(Buffers));
    if (buffers == NULL || pthread_setspecific(buffers_key, buffers) != 0) {
        expect("the worker's key is set", false);
        free(buffers);
        return NULL;
    }

    for (int p = 0; p < 2; p++) {
        MemoryStrategy* pool = pools[p];
        expect("validate_strategy on a worker", validate_strategy(pool));
        for (int round = 0; round < ROUNDS; round++) {
            void* block = pool->allocate(pool, sizes[p]);
            expect("a worker's allocation", block != NULL && validate_deallocation(pool, block));
            pool->deallocate(pool, block);
        }

        for (int i = 0; i < KEPT; i++) {
            buffers->kept[p][i] = pool->allocate(pool, sizes[p]);
            expect("a kept block", buffers->kept[p][i] != NULL && validate_deallocation(pool, buffers->kept[p][i]));
        }
    }

    return NULL;
}

static void run_workers(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        expect("pthread_create", pthread_create(&threads[i], NULL, worker, NULL) == 0);
    }

    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
}

int main(void)
{
    pools[0] = memory_pool_create(sizes[0], 8192, 16, true);
    pools[1] = size_class_pool_create();
    if (pools[0] == NULL || pools[1] == NULL || pthread_key_create(&buffers_key, free_buffers) != 0) {
        fprintf(stderr, "could not create the pools\n");
        return 1;
    }

    /* Twice: the second round's threads take over the first round's caches. */
    run_workers();
    run_workers();
    printf("%d destructors ran, all calls returned ok\n", destructors_run);
    expect("every destructor ran", destructors_run == 2 * THREADS);
    printf("%d allocations from exit destructors ok\n", allocated_in_destructors);
    expect("no allocation from an exit destructor", allocated_in_destructors == 0);

    /* The pools go on serving, from this thread and from new ones. */
    for (int p = 0; p < 2; p++) {
        MemoryStrategy* pool = pools[p];
        void* block = pool->allocate(pool, sizes[p]);
        expect("an allocation after the exits", block != NULL && validate_deallocation(pool, block));
        pool->deallocate(pool, block);
        expect("the status after the exits", pool->get_status(pool) == STRATEGY_STATUS_READY);
    }

    printf("the pools serve after the exits ok\n");
    memory_pool_destroy(pools[0]);
    size_class_pool_destroy(pools[1]);
    printf("thread exit calls: %d failures\n", wrong);
    return wrong == 0 ? 0 : 1;
}
