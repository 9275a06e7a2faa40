/*
 * The C interface's two usage examples, as a shared library the tests load: C code (and C threads) calling a strategy
 * written in C# through the vtable its generated CreateNativeHandle() returns. Built by the tests with
 *   gcc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -pthread -I. -o libusage_examples.so usage_examples.c
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "memory_strategy.h"

/* The C interface's validator, written against the struct alone (independent of the runtime's exported one). */
bool validate_strategy(const MemoryStrategy* strategy)
{
    if (strategy == NULL || strategy->allocate == NULL || strategy->deallocate == NULL
        || strategy->get_status == NULL || strategy->validate == NULL || strategy->status_tracker == NULL) {
        return false;
    }

    StrategyStatus status = memory_strategy_read_status(strategy);
    if (status == STRATEGY_STATUS_FAULTED || status == STRATEGY_STATUS_DISPOSED) {
        return false;
    }

    return strategy->validate((MemoryStrategy*)strategy);
}

bool validate_allocation(const MemoryStrategy* strategy, size_t size)
{
    return size != 0 && validate_strategy(strategy);
}

bool validate_deallocation(const MemoryStrategy* strategy, const void* ptr)
{
    return ptr != NULL && validate_strategy(strategy);
}

/* The C interface's "Usage Example", between initialize_your_strategy() and cleanup_your_strategy() (the test does those). */
int usage_example(MemoryStrategy* strategy)
{
    if (!strategy) {
        return 1; /* Failed to initialize strategy */
    }

    /* Verify strategy is valid */
    if (!strategy->validate(strategy)) {
        return 2; /* Strategy validation failed */
    }

    /* Allocate memory */
    void* ptr = strategy->allocate(strategy, 1024);
    if (!ptr) {
        return 3; /* Allocation failed */
    }

    /* Use the memory... */
    memset(ptr, 0xA5, 1024);

    /* Free the memory */
    strategy->deallocate(strategy, ptr);
    return 0;
}

/* What one worker of the thread-safe example saw. The layout is mirrored by WorkerReport in the tests. */
typedef struct WorkerReport {
    MemoryStrategy* strategy;
    int32_t iterations;
    int32_t index;
    int32_t validated;
    int32_t allocated;
    int32_t freed;
    int32_t corrupted;
    int32_t not_serving;
    int32_t reserved;
} WorkerReport;

/* The C interface's worker_thread, repeated `iterations` times, with the memory stamped and checked so an overlap shows. */
static void* worker_thread(void* arg)
{
    WorkerReport* report = (WorkerReport*)arg;
    MemoryStrategy* strategy = report->strategy;
    unsigned char stamp = (unsigned char)(report->index + 1);

    for (int32_t i = 0; i < report->iterations; i++) {
        /* Always validate before use */
        if (!validate_strategy(strategy)) {
            continue;
        }

        report->validated++;
        StrategyStatus status = strategy->get_status(strategy);
        if (status != STRATEGY_STATUS_READY && status != STRATEGY_STATUS_DEGRADED) {
            report->not_serving++;
        }

        /* Thread-safe operations */
        void* ptr = strategy->allocate(strategy, 1024);
        if (ptr) {
            report->allocated++;
        }

        if (ptr && validate_deallocation(strategy, ptr)) {
            /* Use memory... */
            memset(ptr, stamp, 1024);
            for (int j = 0; j < 1024; j++) {
                if (((unsigned char*)ptr)[j] != stamp) {
                    report->corrupted++;
                    break;
                }
            }

            strategy->deallocate(strategy, ptr);
            report->freed++;
        }
    }

    return NULL;
}

/* The C interface's "Thread-Safe Usage Example" main with `threads` workers. Returns 0, or a negative pthread failure. */
int thread_safe_example(MemoryStrategy* strategy, int32_t threads, int32_t iterations, WorkerReport* reports)
{
    pthread_t ids[64];
    if (threads < 1 || threads > 64) {
        return -1;
    }

    for (int32_t t = 0; t < threads; t++) {
        memset(&reports[t], 0, sizeof(WorkerReport));
        reports[t].strategy = strategy;
        reports[t].iterations = iterations;
        reports[t].index = t;
        if (pthread_create(&ids[t], NULL, worker_thread, &reports[t]) != 0) {
            for (int32_t u = 0; u < t; u++) {
                pthread_join(ids[u], NULL);
            }
            return -2;
        }
    }

    for (int32_t t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
    }

    return 0;
}

/* The struct's layout as this compiler sees it: six offsets, then the size. */
void memory_strategy_layout(size_t* out)
{
    out[0] = offsetof(MemoryStrategy, allocate);
    out[1] = offsetof(MemoryStrategy, deallocate);
    out[2] = offsetof(MemoryStrategy, get_status);
    out[3] = offsetof(MemoryStrategy, validate);
    out[4] = offsetof(MemoryStrategy, strategy_data);
    out[5] = offsetof(MemoryStrategy, status_tracker);
    out[6] = sizeof(MemoryStrategy);
}

/* Single calls through the vtable, so a test can drive it from C one step at a time. */
void* c_allocate(MemoryStrategy* strategy, size_t size) { return strategy->allocate(strategy, size); }
void c_deallocate(MemoryStrategy* strategy, void* ptr) { strategy->deallocate(strategy, ptr); }
int32_t c_get_status(MemoryStrategy* strategy) { return (int32_t)strategy->get_status(strategy); }
int32_t c_validate(MemoryStrategy* strategy) { return strategy->validate(strategy) ? 1 : 0; }
int32_t c_read_status(MemoryStrategy* strategy) { return (int32_t)memory_strategy_read_status(strategy); }
int32_t c_validate_strategy(MemoryStrategy* strategy) { return validate_strategy(strategy) ? 1 : 0; }

/* Calls `vtable`'s functions with a different `self`: NULL, or another strategy's struct. Returns a bit per wrong answer. */
int32_t c_call_with_self(MemoryStrategy* vtable, MemoryStrategy* self)
{
    int32_t wrong = 0;
    if (vtable->allocate(self, 16) != NULL) {
        wrong |= 1;
    }
    if (vtable->get_status(self) != STRATEGY_STATUS_DISPOSED) {
        wrong |= 2;
    }
    if (vtable->validate(self)) {
        wrong |= 4;
    }
    vtable->deallocate(self, (void*)(uintptr_t)0x10000);
    return wrong;
}
