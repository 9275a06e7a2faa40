/* The validators exported by the MemoryStrategy runtime, on a pool written in plain C. Each check asks a validator
 * a question whose answer the C MemoryStrategy interface fixes (many answers are "no": a NULL strategy, a zero size,
 * a faulted pool must be refused), prints the answer, what the contract expects and "ok" when they agree, and the
 * program exits non-zero if any check disagrees. */
#include <stdio.h>
#include <stdlib.h>
#include "memory_strategy.h"
#include "c_pool.h"

static int checks;
static int disagreements;

static const char* answer(bool value) { return value ? "accepted" : "refused"; }

static void check(const char* what, bool actual, bool expected) {
    checks++;
    printf("%-48s %-8s expected %-8s  %s\n", what, answer(actual), answer(expected),
           actual == expected ? "ok" : "DISAGREES WITH THE CONTRACT");
    if (actual != expected) disagreements++;
}

int main(void) {
    MemoryStrategy* pool = c_pool_create(256, 4);
    void* block = pool->allocate(pool, 100);
    void* foreign = malloc(16);

    check("validate_strategy(NULL)", validate_strategy(NULL), false);
    check("validate_strategy(c pool)", validate_strategy(pool), true);
    check("validate_allocation(c pool, 0)", validate_allocation(pool, 0), false);
    check("validate_allocation(c pool, 64)", validate_allocation(pool, 64), true);
    check("validate_allocation(c pool, SIZE_MAX)", validate_allocation(pool, (size_t)-1), false);
    check("validate_allocation(NULL, 64)", validate_allocation(NULL, 64), false);
    check("validate_deallocation(c pool, NULL)", validate_deallocation(pool, NULL), false);
    check("validate_deallocation(c pool, its block)", validate_deallocation(pool, block), true);
    check("validate_deallocation(NULL, its block)", validate_deallocation(NULL, block), false);
    /* A C strategy cannot be asked whether it owns a pointer: any non-NULL pointer passes (see the header). */
    check("validate_deallocation(c pool, foreign)", validate_deallocation(pool, foreign), true);

    c_pool_set_status(pool, STRATEGY_STATUS_FAULTED);
    check("validate_strategy(faulted c pool)", validate_strategy(pool), false);
    check("validate_allocation(faulted c pool, 64)", validate_allocation(pool, 64), false);
    c_pool_set_status(pool, STRATEGY_STATUS_DISPOSED);
    check("validate_strategy(disposed c pool)", validate_strategy(pool), false);
    c_pool_set_status(pool, STRATEGY_STATUS_READY);

    MemoryStrategy broken = *pool;
    broken.allocate = NULL;
    check("validate_strategy(struct with a NULL function)", validate_strategy(&broken), false);

    pool->deallocate(pool, block);
    free(foreign);
    c_pool_destroy(pool);
    if (disagreements == 0) {
        printf("validator example: all %d checks agree with the contract\n", checks);
        return 0;
    }
    printf("validator example: %d of %d checks disagree with the contract\n", disagreements, checks);
    return 1;
}
