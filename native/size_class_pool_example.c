/* The size-class pool from C: mixed sizes from 1 byte to 1 MiB, each written and freed; double and foreign frees
 * refused (the status stays Ready and validate_deallocation says no). Prints one line per check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memory_strategy.h"
#include "size_class_pool.h"

static int failures;

static void check(const char* what, bool ok) {
    printf("%-60s %s\n", what, ok ? "ok" : "WRONG");
    if (!ok) failures++;
}

int main(void) {
    MemoryStrategy* pool = size_class_pool_create();
    if (!pool) {
        fprintf(stderr, "size_class_pool_create failed\n");
        return 1;
    }

    check("validate_strategy is true", validate_strategy(pool));

    static const size_t sizes[] = { 1, 16, 17, 100, 1000, 4096, 5000, 32768, 32769, 1 << 20 };
    enum { COUNT = sizeof sizes / sizeof sizes[0] };
    void* blocks[COUNT];
    bool all = true;
    for (int i = 0; i < COUNT; i++) {
        blocks[i] = pool->allocate(pool, sizes[i]);
        if (!blocks[i] || !validate_deallocation(pool, blocks[i])) { all = false; continue; }
        memset(blocks[i], i, sizes[i]);
    }
    check("every size from 1 B to 1 MiB is served and owned", all);

    bool intact = true;
    for (int i = 0; i < COUNT; i++) {
        const unsigned char* bytes = blocks[i];
        if (bytes && (bytes[0] != (unsigned char)i || bytes[sizes[i] - 1] != (unsigned char)i)) intact = false;
    }
    check("no block overlaps another", intact);

    for (int i = 0; i < COUNT; i++) pool->deallocate(pool, blocks[i]);
    check("a freed class block is no longer valid to free", !validate_deallocation(pool, blocks[2]));
    check("a freed large block is no longer valid to free", !validate_deallocation(pool, blocks[COUNT - 1]));

    pool->deallocate(pool, blocks[2]);            /* double free, size class */
    pool->deallocate(pool, blocks[COUNT - 1]);    /* double free, fallback */
    void* foreign = malloc(64);
    check("a foreign pointer is not valid to free", !validate_deallocation(pool, foreign));
    pool->deallocate(pool, foreign);              /* foreign */
    free(foreign);
    check("refused frees leave the pool ready", pool->get_status(pool) == STRATEGY_STATUS_READY);
    check("allocation above 1 GiB is refused", pool->allocate(pool, ((size_t)1 << 30) + 1) == NULL);

    void* again = pool->allocate(pool, 17);
    check("the pool still serves after refusals", again != NULL);
    pool->deallocate(pool, again);

    size_class_pool_destroy(pool);
    printf("size-class pool example: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
