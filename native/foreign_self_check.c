/* A foreign or corrupt `self`, from C: the reference pool's functions are called with a struct written in C, a copy of
 * the pool's own struct, and garbage memory (random bytes at every 64-byte offset of two pages), from four threads at
 * once, and the exported validators are asked about the same pointers. Every function must refuse (allocate NULL,
 * get_status DISPOSED, validate false) and nothing may crash; the pool must go on working afterwards. Prints one line
 * per check and exits non-zero if any answer is wrong. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memory_strategy.h"
#include "memory_pool.h"

#define THREADS 4
#define ROUNDS 200
#define GARBAGE_BYTES 8192

static MemoryStrategy* pool;
static unsigned char* garbage;
static StatusTracker c_tracker = {STRATEGY_STATUS_READY};
static int c_calls;

static void* c_allocate(MemoryStrategy* self, size_t size) { (void)self; (void)size; c_calls++; return NULL; }
static void c_deallocate(MemoryStrategy* self, void* ptr) { (void)self; (void)ptr; c_calls++; }
static StrategyStatus c_get_status(MemoryStrategy* self) { (void)self; return STRATEGY_STATUS_READY; }
static bool c_validate(MemoryStrategy* self) { (void)self; return true; }

/* A strategy written in C, whose strategy_data is not a GC handle. */
static MemoryStrategy c_strategy = {c_allocate, c_deallocate, c_get_status, c_validate, (void*)0xdeadbeef00, &c_tracker};

static int wrong;

static void expect(const char* what, int offset, bool ok)
{
    if (!ok) {
        __atomic_add_fetch(&wrong, 1, __ATOMIC_RELAXED);
        fprintf(stderr, "WRONG: %s (offset %d)\n", what, offset);
    }
}

/* Every function of the pool's vtable called with a self that is not the pool's: all refuse. */
static void refuse_all(MemoryStrategy* self, int offset)
{
    unsigned char local[64];
    expect("allocate refuses", offset, pool->allocate(self, 64) == NULL);
    pool->deallocate(self, local);
    pool->deallocate(self, NULL);
    expect("get_status says disposed", offset, pool->get_status(self) == STRATEGY_STATUS_DISPOSED);
    expect("validate refuses", offset, !pool->validate(self));
}

static void* attack(void* arg)
{
    (void)arg;
    MemoryStrategy copy = *pool; /* the pool's struct, copied elsewhere: not the pool's */
    for (int round = 0; round < ROUNDS; round++) {
        refuse_all(&c_strategy, -1);
        refuse_all(&copy, -2);
        for (int offset = 0; offset + (int)sizeof(MemoryStrategy) <= GARBAGE_BYTES; offset += 8) {
            MemoryStrategy* self = (MemoryStrategy*)(garbage + offset);
            refuse_all(self, offset);
            expect("validate_strategy(garbage) is false", offset, !validate_strategy(self));
            expect("validate_allocation(garbage, 64) is false", offset, !validate_allocation(self, 64));
            expect("validate_deallocation(garbage, p) is false", offset, !validate_deallocation(self, garbage));
        }
    }

    return NULL;
}

int main(void)
{
    pool = memory_pool_create(64, 1024, 16, false);
    garbage = aligned_alloc(4096, GARBAGE_BYTES);
    if (pool == NULL || garbage == NULL) return 2;

    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < GARBAGE_BYTES; i += 8) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17; /* xorshift64: random bytes */
        memcpy(garbage + i, &x, 8);
    }

    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, attack, NULL);
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);

    printf("%-60s %s\n", "every thunk refused a C struct, a copy and garbage", wrong == 0 ? "ok" : "WRONG");
    printf("%-60s %s\n", "the C strategy's own functions were never called", c_calls == 0 ? "ok" : "WRONG");
    printf("%-60s %s\n", "validate_strategy(C strategy) is still true", validate_strategy(&c_strategy) ? "ok" : "WRONG");
    void* block = pool->allocate(pool, 64);
    printf("%-60s %s\n", "the pool still serves and takes back", block != NULL ? "ok" : "WRONG");
    bool owned = validate_deallocation(pool, block);
    pool->deallocate(pool, block);
    printf("%-60s %s\n", "validate_deallocation(pool, its block) is true", owned ? "ok" : "WRONG");
    int failures = wrong + (c_calls != 0) + !validate_strategy(&c_strategy) + (block == NULL) + !owned;
    memory_pool_destroy(pool);
    free(garbage);
    printf("foreign self check: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
