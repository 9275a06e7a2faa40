/*
 * The stamped load test in C: pthreads call a strategy written in C# through the C interface's vtable
 * (strategy->allocate / strategy->deallocate), stamp every block over its whole length, hand some blocks to other
 * threads, and check each stamp before the block is freed. Built by the tests with gcc (see GccLibrary).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "memory_strategy.h"

#define HELD_PER_THREAD 32
#define INBOX_CAPACITY 256
#define MAX_THREADS 64

typedef struct Held {
    unsigned char* block;
    size_t size;
    uint64_t stamp;
} Held;

/* One thread's inbox: other threads push, its owner pops. A mutex keeps the test's own plumbing obviously right. */
typedef struct Inbox {
    pthread_mutex_t lock;
    Held items[INBOX_CAPACITY];
    int32_t count;
} Inbox;

/* What one thread did; mirrored by StressReport in the tests. */
typedef struct StressReport {
    int64_t served;
    int64_t failed;
    int64_t freed;
    int64_t handed_off;
    int64_t bytes;
    int64_t corrupted;
} StressReport;

typedef struct Worker {
    MemoryStrategy* strategy;
    Inbox* inboxes;
    StressReport* report;
    int32_t index;
    int32_t threads;
    int64_t operations;
    uint64_t rng;
    size_t max_size;
} Worker;

static uint64_t next_random(uint64_t* state)
{
    /* xorshift64*: small, fast and deterministic for a given seed. */
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static void stamp_block(unsigned char* block, size_t size, uint64_t stamp)
{
    size_t words = size / sizeof(uint64_t);
    for (size_t i = 0; i < words; i++) {
        memcpy(block + i * sizeof(uint64_t), &stamp, sizeof(uint64_t));
    }
    memset(block + words * sizeof(uint64_t), (unsigned char)stamp, size % sizeof(uint64_t));
}

static int stamp_intact(const unsigned char* block, size_t size, uint64_t stamp)
{
    size_t words = size / sizeof(uint64_t);
    for (size_t i = 0; i < words; i++) {
        uint64_t seen;
        memcpy(&seen, block + i * sizeof(uint64_t), sizeof(uint64_t));
        if (seen != stamp) {
            return 0;
        }
    }
    for (size_t i = words * sizeof(uint64_t); i < size; i++) {
        if (block[i] != (unsigned char)stamp) {
            return 0;
        }
    }
    return 1;
}

static void release(Worker* w, Held held)
{
    if (!stamp_intact(held.block, held.size, held.stamp)) {
        w->report->corrupted++;
    }
    w->strategy->deallocate(w->strategy, held.block);
    w->report->freed++;
}

static size_t next_size(Worker* w)
{
    uint64_t r = next_random(&w->rng);
    switch (r % 32) {
    case 0: return 1;
    case 1: return w->max_size;
    default: return 1 + (size_t)((r >> 8) % w->max_size);
    }
}

static void* worker_main(void* arg)
{
    Worker* w = (Worker*)arg;
    Held held[HELD_PER_THREAD];
    int32_t count = 0;

    for (int64_t step = 0; step < w->operations; step++) {
        uint32_t roll = (uint32_t)(next_random(&w->rng) % 16);
        if (roll < 6 && count < HELD_PER_THREAD) {
            size_t size = next_size(w);
            unsigned char* block = (unsigned char*)w->strategy->allocate(w->strategy, size);
            if (!block) {
                w->report->failed++;
                continue;
            }
            uint64_t stamp = ((uint64_t)(w->index + 1) << 40) | (uint64_t)step;
            stamp_block(block, size, stamp);
            held[count++] = (Held){ block, size, stamp };
            w->report->served++;
            w->report->bytes += (int64_t)size;
        } else if (roll < 10 && count > 0) {
            int32_t pick = (int32_t)(next_random(&w->rng) % (uint64_t)count);
            release(w, held[pick]);
            held[pick] = held[--count];
        } else if (roll < 12 && count > 0 && w->threads > 1) {
            int32_t to = (w->index + 1 + (int32_t)(next_random(&w->rng) % (uint64_t)(w->threads - 1))) % w->threads;
            Inbox* inbox = &w->inboxes[to];
            pthread_mutex_lock(&inbox->lock);
            if (inbox->count < INBOX_CAPACITY) {
                inbox->items[inbox->count++] = held[--count];
                w->report->handed_off++;
            }
            pthread_mutex_unlock(&inbox->lock);
        } else {
            Inbox* inbox = &w->inboxes[w->index];
            Held received = { 0 };
            pthread_mutex_lock(&inbox->lock);
            if (inbox->count > 0) {
                received = inbox->items[--inbox->count];
            }
            pthread_mutex_unlock(&inbox->lock);
            if (received.block) {
                release(w, received);
            }
        }
    }

    while (count > 0) {
        release(w, held[--count]);
    }
    return NULL;
}

/* Runs `threads` pthreads of `operations` steps each; returns 0, or a negative value when a thread could not start. */
int32_t stress_run(MemoryStrategy* strategy, int32_t threads, int64_t operations, uint64_t seed, size_t max_size, StressReport* reports)
{
    pthread_t ids[MAX_THREADS];
    Worker workers[MAX_THREADS];
    static Inbox inboxes[MAX_THREADS];
    if (threads < 1 || threads > MAX_THREADS || max_size == 0) {
        return -1;
    }

    for (int32_t t = 0; t < threads; t++) {
        pthread_mutex_init(&inboxes[t].lock, NULL);
        inboxes[t].count = 0;
        memset(&reports[t], 0, sizeof(StressReport));
        workers[t] = (Worker){ strategy, inboxes, &reports[t], t, threads, operations, seed * 0x9E3779B97F4A7C15ULL + (uint64_t)t + 1, max_size };
    }

    int32_t started = 0;
    for (; started < threads; started++) {
        if (pthread_create(&ids[started], NULL, worker_main, &workers[started]) != 0) {
            break;
        }
    }
    for (int32_t t = 0; t < started; t++) {
        pthread_join(ids[t], NULL);
    }

    /* Blocks left in an inbox were handed to a thread that finished first: the main thread frees them. */
    for (int32_t t = 0; t < threads; t++) {
        while (inboxes[t].count > 0) {
            release(&workers[t], inboxes[t].items[--inboxes[t].count]);
        }
        pthread_mutex_destroy(&inboxes[t].lock);
    }
    return started == threads ? 0 : -2;
}
