/*
 * exit_destructor_calls.c - a pthread that uses a strategy, then uses it again from a thread-specific-data destructor
 * that runs after the C calls' own (its key is created after theirs, and glibc runs destructors in key order): the
 * calls must then make a new per-thread table and mark rather than use the ones given back.
 */
#include <pthread.h>
#include <stdint.h>

#include "memory_strategy.h"

static MemoryStrategy* g_strategy;
static int g_pairs;
static int g_served;
static pthread_key_t g_key;

static void pairs(void)
{
    for (int i = 0; i < g_pairs; i++) {
        unsigned char* block = g_strategy->allocate(g_strategy, 64);
        if (block != NULL) {
            block[0] = 1;
            g_strategy->deallocate(g_strategy, block);
            __atomic_add_fetch(&g_served, 1, __ATOMIC_RELAXED);
        }
    }
}

static void at_exit_of_thread(void* value)
{
    (void)value;
    pairs();
}

static void* thread_main(void* unused)
{
    (void)unused;
    pairs(); /* the C calls make their keys here */
    if (pthread_key_create(&g_key, at_exit_of_thread) == 0) {
        pthread_setspecific(g_key, (void*)1);
    }

    return NULL;
}

/* Runs one such thread; returns the pairs served (2 * pairs when every call succeeded). */
int32_t run_exit_destructor_calls(MemoryStrategy* strategy, int32_t count)
{
    pthread_t thread;
    g_strategy = strategy;
    g_pairs = count;
    g_served = 0;
    if (pthread_create(&thread, NULL, thread_main, NULL) != 0) {
        return -1;
    }

    pthread_join(thread, NULL);
    pthread_key_delete(g_key);
    return g_served;
}
