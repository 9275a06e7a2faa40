/* A reference pool held whole by its threads, from C: eight threads each hold at most 37 blocks of a pool of 8 x 37,
 * allocating up to their share and freeing a random part of it, 100,000 times, through the vtable. Whenever a thread
 * allocates, a block is free somewhere (another thread's cache, the shared stack, or on its way between them while
 * the others refill, flush and steal), so every allocation must be served. The fast paths run in C; refills, flushes
 * and steals in .NET. Three runs in the default mode and three in strict mode, each on a new pool.
 *
 * Before an allocation waited for blocks in transit, about half the runs saw refusals (the allocation found the victim
 * cache held by another thief, or the blocks between the shared stack and a cache, and reported exhaustion).
 * Prints one line per run and exits non-zero if any allocation was refused or any block is left live. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "memory_strategy.h"
#include "memory_pool.h"

#define THREADS 8
#define SHARE 37
#define ROUNDS 100000
#define RUNS 3

static MemoryStrategy* pool;
static pthread_barrier_t start;
static int refused;

/* Allocates up to its share, frees a random part of what it holds (from anywhere in its list, so the caches fill and
 * empty unevenly), ROUNDS times; then frees everything. */
static void* worker(void* arg)
{
    unsigned seed = (unsigned)(size_t)arg;
    void* held[SHARE];
    int count = 0;
    pthread_barrier_wait(&start);
    for (int round = 0; round < ROUNDS; round++) {
        while (count < SHARE) {
            void* block = pool->allocate(pool, 64);
            if (block == NULL) {
                __atomic_add_fetch(&refused, 1, __ATOMIC_RELAXED);
                break;
            }

            held[count++] = block;
        }

        for (int free = 1 + rand_r(&seed) % SHARE; free > 0 && count > 0; free--) {
            int at = rand_r(&seed) % count;
            pool->deallocate(pool, held[at]);
            held[at] = held[--count];
        }
    }

    while (count > 0) {
        pool->deallocate(pool, held[--count]);
    }

    return NULL;
}

int main(void)
{
    int failures = 0;
    for (int run = 0; run < 2 * RUNS; run++) {
        bool strict = run >= RUNS;
        pool = memory_pool_create(64, THREADS * SHARE, 16, strict);
        if (pool == NULL) {
            fprintf(stderr, "WRONG: memory_pool_create failed\n");
            return 1;
        }

        __atomic_store_n(&refused, 0, __ATOMIC_RELAXED);
        pthread_barrier_init(&start, NULL, THREADS);
        pthread_t threads[THREADS];
        for (int t = 0; t < THREADS; t++) {
            pthread_create(&threads[t], NULL, worker, (void*)(size_t)(1 + t + 100 * run));
        }

        for (int t = 0; t < THREADS; t++) {
            pthread_join(threads[t], NULL);
        }

        pthread_barrier_destroy(&start);

        /* Every block is back: a fresh pass can take the whole pool again, from this one thread (its cache, the shared
         * stack and the other threads' caches, which it steals from). */
        void* all[THREADS * SHARE];
        int taken = 0;
        while (taken < THREADS * SHARE && (all[taken] = pool->allocate(pool, 64)) != NULL) {
            taken++;
        }

        for (int i = 0; i < taken; i++) {
            pool->deallocate(pool, all[i]);
        }

        int wrong = refused + (taken != THREADS * SHARE);
        failures += wrong;
        printf("%s run %d: %d refused, %d of %d blocks taken again%s\n", strict ? "strict" : "default", run % RUNS,
               refused, taken, THREADS * SHARE, wrong == 0 ? " ok" : "");
        if (wrong != 0) {
            fprintf(stderr, "WRONG: a run refused an allocation with blocks free\n");
        }

        memory_pool_destroy(pool);
    }

    printf("full capacity calls: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
