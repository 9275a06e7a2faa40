/* A fixed-block pool written in plain C against the C `MemoryStrategy` interface: the kind of strategy a C user
 * already has. validator_example.c checks it with the validators exported by the MemoryStrategy runtime,
 * which must work on any MemoryStrategy*, not only on strategies written in C#. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "c_pool.h"


typedef struct {
    pthread_mutex_t lock;
    unsigned char* blocks;
    unsigned char* in_use;
    size_t block_size;
    size_t block_count;
    StatusTracker tracker; /* its first member, status, is all the header defines */
} CPool;

static CPool* pool_of(MemoryStrategy* self) { return (CPool*)self->strategy_data; }

static void* c_pool_allocate(MemoryStrategy* self, size_t size) {
    CPool* pool = pool_of(self);
    if (size == 0 || size > pool->block_size) return NULL;
    void* result = NULL;
    pthread_mutex_lock(&pool->lock);
    for (size_t i = 0; i < pool->block_count; i++) {
        if (!pool->in_use[i]) {
            pool->in_use[i] = 1;
            result = pool->blocks + i * pool->block_size;
            break;
        }
    }
    pool->tracker.status = result ? STRATEGY_STATUS_READY : STRATEGY_STATUS_DEGRADED;
    pthread_mutex_unlock(&pool->lock);
    return result;
}

static void c_pool_deallocate(MemoryStrategy* self, void* ptr) {
    CPool* pool = pool_of(self);
    unsigned char* p = (unsigned char*)ptr;
    if (p < pool->blocks || p >= pool->blocks + pool->block_size * pool->block_count) return;
    size_t offset = (size_t)(p - pool->blocks);
    if (offset % pool->block_size != 0) return;
    pthread_mutex_lock(&pool->lock);
    pool->in_use[offset / pool->block_size] = 0;
    pthread_mutex_unlock(&pool->lock);
}

static StrategyStatus c_pool_get_status(MemoryStrategy* self) {
    return (StrategyStatus)__atomic_load_n(&pool_of(self)->tracker.status, __ATOMIC_ACQUIRE);
}

static bool c_pool_validate(MemoryStrategy* self) {
    CPool* pool = pool_of(self);
    return pool->blocks != NULL && pool->in_use != NULL && pool->block_size > 0;
}

MemoryStrategy* c_pool_create(size_t block_size, size_t block_count) {
    MemoryStrategy* strategy = calloc(1, sizeof(MemoryStrategy));
    CPool* pool = calloc(1, sizeof(CPool));
    if (!strategy || !pool) { free(strategy); free(pool); return NULL; }
    pthread_mutex_init(&pool->lock, NULL);
    pool->block_size = block_size;
    pool->block_count = block_count;
    pool->blocks = malloc(block_size * block_count);
    pool->in_use = calloc(block_count, 1);
    pool->tracker.status = STRATEGY_STATUS_READY;
    strategy->allocate = c_pool_allocate;
    strategy->deallocate = c_pool_deallocate;
    strategy->get_status = c_pool_get_status;
    strategy->validate = c_pool_validate;
    strategy->strategy_data = pool;
    strategy->status_tracker = &pool->tracker;
    return strategy;
}

void c_pool_set_status(MemoryStrategy* strategy, StrategyStatus status) {
    __atomic_store_n(&pool_of(strategy)->tracker.status, (int32_t)status, __ATOMIC_RELEASE);
}

void c_pool_destroy(MemoryStrategy* strategy) {
    if (!strategy) return;
    CPool* pool = pool_of(strategy);
    pthread_mutex_destroy(&pool->lock);
    free(pool->blocks);
    free(pool->in_use);
    free(pool);
    free(strategy);
}
