/* A fixed-block pool written in plain C (see c_pool.c). */
#ifndef C_POOL_H
#define C_POOL_H
#include "memory_strategy.h"

MemoryStrategy* c_pool_create(size_t block_size, size_t block_count);
void c_pool_set_status(MemoryStrategy* strategy, StrategyStatus status);
void c_pool_destroy(MemoryStrategy* strategy);
#endif
