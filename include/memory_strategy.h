/*
 * memory_strategy.h - the C `MemoryStrategy` interface to a thread-safe memory strategy.
 *
 * A strategy written in C# with [MemoryStrategy] hands out this struct through the generated
 * CreateNativeHandle() (NativeStrategyHandle.Pointer). Its layout is fixed (ABI version 1) and matches
 * MemoryStrategy.NativeMemoryStrategy field for field.
 */
#ifndef MEMORY_STRATEGY_H
#define MEMORY_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MEMORY_STRATEGY_ABI_VERSION 1

/* The header's own helpers are static inline functions; C89 has no `inline` (GCC and Clang spell it __inline__ there,
 * MSVC's C compiler __inline), so the keyword is chosen by the compiler and language version. */
#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#define MEMORY_STRATEGY_INLINE static inline
#elif defined(__GNUC__) || defined(__clang__)
#define MEMORY_STRATEGY_INLINE static __inline__
#elif defined(_MSC_VER)
#define MEMORY_STRATEGY_INLINE static __inline
#else
#define MEMORY_STRATEGY_INLINE static
#endif

/* Exported symbols of the runtime library. Empty when the functions are linked statically. */
#ifndef MEMORY_STRATEGY_API
#define MEMORY_STRATEGY_API
#endif

/* The health of a strategy; the values are those of MemoryStrategy.StrategyStatus. */
typedef enum StrategyStatus {
    STRATEGY_STATUS_UNINITIALIZED = 0, /* created; the first validate() checks it */
    STRATEGY_STATUS_READY = 1,         /* validated and serving */
    STRATEGY_STATUS_DEGRADED = 2,      /* serving, but its last allocation failed for exhaustion */
    STRATEGY_STATUS_FAULTED = 3,       /* an invariant failed or the strategy threw: allocations refused */
    STRATEGY_STATUS_DISPOSED = 4       /* terminal: everything refused */
} StrategyStatus;

/*
 * Thread-safe status tracking. Opaque: only its first member is part of the interface, the current status as a
 * 32-bit integer, changed by atomic compare-and-swap. Read it with memory_strategy_read_status().
 */
typedef struct StatusTracker {
    int32_t status;
    /* ...opaque beyond this point... */
} StatusTracker;

/* The strategy: a vtable and its state. Every function may be called from any thread. */
typedef struct MemoryStrategy {
    void* (*allocate)(struct MemoryStrategy* self, size_t size);   /* NULL when refused or exhausted */
    void (*deallocate)(struct MemoryStrategy* self, void* ptr);    /* invalid pointers are refused */
    StrategyStatus (*get_status)(struct MemoryStrategy* self);
    bool (*validate)(struct MemoryStrategy* self);
    void* strategy_data;            /* implementation-specific data */
    StatusTracker* status_tracker;  /* thread-safe status tracking */
} MemoryStrategy;

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(sizeof(StrategyStatus) == 4, "StrategyStatus is a 32-bit integer");
_Static_assert(sizeof(bool) == 1, "C bool is one byte");
_Static_assert(offsetof(MemoryStrategy, strategy_data) == 32, "MemoryStrategy layout (ABI 1)");
_Static_assert(offsetof(MemoryStrategy, status_tracker) == 40, "MemoryStrategy layout (ABI 1)");
_Static_assert(sizeof(MemoryStrategy) == 48, "MemoryStrategy layout (ABI 1)");
#endif

/* The current status, read atomically (acquire) from the status tracker's first word. */
MEMORY_STRATEGY_INLINE StrategyStatus memory_strategy_read_status(const MemoryStrategy* strategy)
{
#if defined(__GNUC__) || defined(__clang__)
    return (StrategyStatus)__atomic_load_n(&strategy->status_tracker->status, __ATOMIC_ACQUIRE);
#else
    return (StrategyStatus)(*(volatile const int32_t*)&strategy->status_tracker->status);
#endif
}

/* The independent validator. Pure, lock-free and re-entrant. */

/* Validate strategy state and interface compliance: non-NULL, every function present, not faulted or disposed,
 * and its own validate() holds. */
MEMORY_STRATEGY_API bool validate_strategy(const MemoryStrategy* strategy);

/* Validate allocation parameters: the strategy is valid and 0 < size <= its limit (MaxAllocationSize for a strategy
 * written in C#; PTRDIFF_MAX, the largest C object, for one written in C). */
MEMORY_STRATEGY_API bool validate_allocation(const MemoryStrategy* strategy, size_t size);

/* Validate deallocation parameters: the strategy is valid, ptr is non-NULL and, for a strategy written in C#, a live
 * allocation of it (Owns). A strategy written in C cannot be asked, so for it a non-NULL ptr passes. */
MEMORY_STRATEGY_API bool validate_deallocation(const MemoryStrategy* strategy, const void* ptr);

#ifdef __cplusplus
}
#endif

#endif /* MEMORY_STRATEGY_H */
