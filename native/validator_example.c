/* The validators exported by the MemoryStrategy runtime, on a pool written in plain C. Prints one line
 * per check and exits non-zero if any check disagrees with the C interface's contract. */
#include <stdio.h>
#include <stdlib.h>
#include "memory_strategy.h"
#include "c_pool.h"

static int failures;

static void check(const char* what, bool actual, bool expected) {
    printf("%-55s %s\n", what, actual == expected ? "ok" : "WRONG");
    if (actual != expected) failures++;
}

int main(void) {
    MemoryStrategy* pool = c_pool_create(256, 4);
    void* block = pool->allocate(pool, 100);
    void* foreign = malloc(16);

    check("validate_strategy(NULL) is false", validate_strategy(NULL), false);
    check("validate_strategy(c pool) is true", validate_strategy(pool), true);
    check("validate_allocation(c pool, 0) is false", validate_allocation(pool, 0), false);
    check("validate_allocation(c pool, 64) is true", validate_allocation(pool, 64), true);
    check("validate_allocation(c pool, SIZE_MAX) is false", validate_allocation(pool, (size_t)-1), false);
    check("validate_allocation(NULL, 64) is false", validate_allocation(NULL, 64), false);
    check("validate_deallocation(c pool, NULL) is false", validate_deallocation(pool, NULL), false);
    check("validate_deallocation(c pool, its block) is true", validate_deallocation(pool, block), true);
    check("validate_deallocation(NULL, its block) is false", validate_deallocation(NULL, block), false);
    /* A C strategy cannot be asked whether it owns a pointer: any non-NULL pointer passes (see the header). */
    check("validate_deallocation(c pool, foreign) is true", validate_deallocation(pool, foreign), true);

    c_pool_set_status(pool, STRATEGY_STATUS_FAULTED);
    check("validate_strategy(faulted c pool) is false", validate_strategy(pool), false);
    check("validate_allocation(faulted c pool, 64) is false", validate_allocation(pool, 64), false);
    c_pool_set_status(pool, STRATEGY_STATUS_DISPOSED);
    check("validate_strategy(disposed c pool) is false", validate_strategy(pool), false);
    c_pool_set_status(pool, STRATEGY_STATUS_READY);

    MemoryStrategy broken = *pool;
    broken.allocate = NULL;
    check("validate_strategy(struct with a NULL function) is false", validate_strategy(&broken), false);

    pool->deallocate(pool, block);
    free(foreign);
    c_pool_destroy(pool);
    printf("validator example: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
