/*
 * memory_strategy_calls.c - allocate and deallocate through the `MemoryStrategy` vtable served in C, for a strategy
 * written in C# whose blocks and per-thread caches are described to C (NativeBlockCache: the reference pool's), or
 * that routes sizes to such pools (NativeSizeClasses: the size-class pool's; the routed pair below).
 *
 * A call from C into a NativeAOT library crosses into .NET (a reverse P/Invoke: about 6 ns here, twice the whole of a
 * glibc malloc/free pair), so an allocate/free pair through the generated thunks costs at least two crossings. For a
 * strategy created through an export (memory_pool_create, size_class_pool_create) that describes them, the runtime
 * points the vtable's allocate and deallocate at the functions below instead. They do what the generated fast path does, on
 * the same memory:
 *   - the status gate (Ready for allocate; Ready, Degraded or Faulted for deallocate) and the size limit;
 *   - the pool's own fast path on the calling thread's cache, which lives in the thread's object for the strategy
 *     (the same object the C# code uses, pinned by the runtime while C may read it): the owner's busy flag, the
 *     thieves' lock, a pop or a push on the stack of free block indices;
 *   - the block's state byte (set on allocate; on deallocate the ownership check: range, alignment, allocated, by CAS
 *     in strict mode);
 *   - the statistics, in that object's counters (single writer: this thread owns the object).
 * Anything else goes to the generated thunk, unchanged: the first call, a status other than those, an empty or full
 * cache, a thief holding the cache, a refused pointer, the statistics' rare cases (a new high of live blocks, the
 * periodic peak sample). So every answer, count and status transition is the one the thunk would have given.
 *
 * Not async-signal-safe, as malloc is not: the reader mark nests (a nested call puts back the mark it found), but the
 * cache does not, so a signal handler that interrupts a call and calls allocate or deallocate of the same strategy on
 * the same thread could see the cache half-changed.
 *
 * Lifetime: a call reads the description's generation, the thread's object and the state bytes under the thread's
 * reader mark (memory_strategy_slots.h), so destroying the strategy waits for a call in flight before the caches and
 * state bytes are freed. A thread finds its object in a table of its own, keyed by the slot, with the description's
 * generation (a slot reused by another strategy gets a new one) and a copy of the description's other values, made
 * under the mark when the entry was attached and good while the generation matches: an entry of a strategy destroyed
 * since never matches again. An entry whose slot is self proves self a
 * runtime slot (slot pages are never freed), so the common call reads the table first and recognises the page only
 * when the entry does not match.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "memory_strategy_slots.h"

/* The periodic peak sample's interval (StatusTracker.PeakSampleInterval): the allocation that reaches a multiple of
 * it goes to the thunk, which samples. */
#define PEAK_SAMPLE_INTERVAL 1024

/*
 * One strategy's object for this thread, resolved when it was attached, with every value a call reads that does not
 * change while the description is published copied in, so that a call reads the entry, the thread's object and the
 * blocks' state bytes, and nothing else. Two cache lines, both read by a pair of calls; a routed strategy's entry
 * keeps its reservation and class tables where a pool's keeps its blocks (the unions). All valid while the
 * description is published: the strategy and the object's pin live until the description is taken back, and that
 * waits for this thread's mark.
 *
 * The thread's object is reached at two addresses, each with its fields at fixed distances (checked when the entry is
 * attached; a description laid out otherwise is left to the thunks): `counters`, the runtime's statistics
 * (StrategyThread's explicit layout), and `cache`, the pool's stack of free block indices (PoolThread's).
 */
typedef struct AttachedThread {
    /* The slot the entry was attached for, with the calls it serves (MODE_*) in its low bits (a slot is 8-aligned), so
     * that one compare finds an entry both for self and for this kind of call; 0 while being attached. */
    uintptr_t key;
    uint64_t generation;
    const uint64_t* generation_word;
    const int32_t* status;
    char* counters;
    char* cache;
    union {
        struct { /* a pool's blocks */
            uintptr_t start;
            const uint8_t* states;
        };
        struct { /* a routed strategy's reservation (SizeClasses), its classes' blocks */
            uintptr_t reservation_start;
            const uint8_t* class_of_granule;
        };
    };

    size_t max_size;
    union {
        struct {
            size_t stride;
            uint64_t block_count;
            uint64_t odd_inverse;
        };
        struct {
            const uint8_t* class_of_size;
            uint64_t granule_count;
            uint64_t granule_shift;
        };
    };
    int32_t shift;
    /* The three bytes a free tests, read as one word (state_bytes: one load instead of three). */
    union {
        struct {
            uint8_t allocated;
            uint8_t free_state;
            uint8_t strict;
        };
        uint32_t state_bytes;
    };
    const BlockCache* description;
    /* A routed strategy's entry (CACHE_ROUTED): one entry per class, whose pool fields are the class's object's and
     * whose counters are this strategy's (the classes count nothing of their own, as in .NET by default); NULL else. */
    struct AttachedThread* classes;
    /* Two whole cache lines per entry (the static assertion below). */
    uint64_t padding;
} AttachedThread;

_Static_assert(sizeof(AttachedThread) == 128 && offsetof(AttachedThread, max_size) == 64, "two cache lines per entry");

/* The calls an entry serves, in its key's low bits. MODE_POOL: memory_strategy_cached_*; MODE_ROUTED:
 * memory_strategy_routed_*; MODE_NONE: the thunks. */
#define MODE_NONE 0u
#define MODE_POOL 1u
#define MODE_ROUTED 2u
#define MODE_MASK 7u

/* The slot an entry was attached for: its key without the kind of call. */
#define ENTRY_SLOT(entry) ((MemoryStrategy*)((entry)->key & ~(uintptr_t)MODE_MASK))

/* The statistics' counters, from the allocations counter (StrategyThread's FieldOffsets 64, 72, 104, 112). */
#define COUNTER_ALLOCATIONS 0
#define COUNTER_DEALLOCATIONS 8
#define COUNTER_BYTES 40
#define COUNTER_LOCAL_PEAK 48

/* The cache's fields, from the stack pointer (PoolThread's FieldOffsets 0, 8, 12, 16, 20). */
#define CACHE_ITEMS 0
#define CACHE_COUNT 8
#define CACHE_CAPACITY 12
#define CACHE_BUSY 16
#define CACHE_STEAL_LOCK 20

/* Entries per thread, direct-mapped by the slot's address (two strategies sharing an entry re-attach on each switch,
 * which costs a call into .NET: slots of one page never share one). */
#define ATTACHED_COUNT 128u

/* This thread's entries, made on its first attach (after its reader mark) and freed when it exits. */
static __thread AttachedThread* t_attached __attribute__((tls_model("initial-exec")));
static pthread_key_t g_attached_key;
static pthread_once_t g_attached_key_once = PTHREAD_ONCE_INIT;
static bool g_attached_key_made;

/* The thread's exit hook (leave_runtime, memory_strategy_validators.c, where the argument is) runs before .NET detaches
 * the thread: it forgets the table without freeing it (free_attached, a key destructor, frees it later), so every
 * allocate and deallocate of the thread takes the slow path from then on, and the slow path, seeing t_leaving, refuses
 * (allocate NULL; deallocate leaves the block allocated, the strategy's until it is destroyed) instead of calling a
 * thunk, attaching, or touching the thread's cache. The fast paths pay nothing for it beyond the t_attached test they
 * already make. */
void memory_strategy_forget_attached(void)
{
    t_attached = NULL;
}

/* At thread exit (a key destructor, so after .NET detached the thread): the classes' arrays and the table go, and the
 * thread-local forgets them. */
static void free_attached(void* table)
{
    AttachedThread* entries = (AttachedThread*)table;
    for (uint32_t i = 0; i < ATTACHED_COUNT; i++) {
        free(entries[i].classes);
    }

    t_attached = NULL;
    t_leaving = true;
    free(table);
}

static void make_attached_key(void)
{
    g_attached_key_made = pthread_key_create(&g_attached_key, free_attached) == 0;
}

static inline AttachedThread* attached_entry(AttachedThread* table, const MemoryStrategy* self)
{
    uintptr_t address = (uintptr_t)self;
    return &table[((address >> 6) ^ (address >> 11)) & (ATTACHED_COUNT - 1)];
}

/* A field at a fixed distance from one of the entry's two addresses of the thread's object. */
#define FIELD(type, base, offset) ((type*)((base) + (offset)))

/*
 * The pool's fields of object, the thread's object for the pool that cache describes, and the blocks' description
 * (cache NULL: no object, or a layout other than the one the fast paths are compiled for; the thunks serve then).
 */
static void resolve_pool(AttachedThread* entry, char* object, const BlockCache* cache)
{
    const Ownership* blocks = ownership_of_cache(cache);
    entry->description = cache;
    entry->max_size = cache->max_size;
    entry->stride = cache->stride;
    entry->strict = (cache->flags & CACHE_STRICT) != 0;
    entry->free_state = cache->free_state;
    entry->start = blocks->start;
    entry->states = blocks->states;
    entry->block_count = blocks->count;
    entry->odd_inverse = blocks->odd_inverse;
    entry->shift = blocks->shift;
    entry->allocated = (uint8_t)blocks->allocated;
    uint32_t items = cache->items_offset;
    bool laid_out = cache->count_offset == items + CACHE_COUNT && cache->capacity_offset == items + CACHE_CAPACITY
        && cache->busy_offset == items + CACHE_BUSY && cache->steal_lock_offset == items + CACHE_STEAL_LOCK;
    entry->cache = object != NULL && laid_out ? object + items : NULL;
}

/* The statistics' counters of object, at the offsets a slot's cache description gives (NULL: no object, or a layout
 * other than StrategyThread's). */
static void resolve_counters(AttachedThread* entry, char* object, const BlockCache* slot_cache)
{
    uint32_t allocations = slot_cache->allocations_offset;
    bool laid_out = slot_cache->deallocations_offset == allocations + COUNTER_DEALLOCATIONS
        && slot_cache->bytes_offset == allocations + COUNTER_BYTES
        && slot_cache->local_peak_offset == allocations + COUNTER_LOCAL_PEAK;
    entry->counters = object != NULL && laid_out ? object + allocations : NULL;
}

/*
 * The owner's entry to its cache (PoolThread.TryEnter): a plain store of 1 to the busy flag, then a load of the
 * thieves' lock. A thief takes the lock by CAS, runs a process-wide barrier, then waits for the flag to read 0: if the
 * store came before that barrier's fence on this core the thief sees it and waits; if after, this load sees the lock
 * and backs off (an asymmetric Dekker handshake). The compiler fence keeps the load after the store.
 */
static inline bool enter_cache(char* cache)
{
    __atomic_store_n(FIELD(int32_t, cache, CACHE_BUSY), 1, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(FIELD(int32_t, cache, CACHE_STEAL_LOCK), __ATOMIC_RELAXED) == 0) {
        return true;
    }

    __atomic_store_n(FIELD(int32_t, cache, CACHE_BUSY), 0, __ATOMIC_RELAXED);
    return false;
}

/* The owner's exit (PoolThread.Exit). Release: a thief that reads 0 sees every write to the stack before it. */
static inline void leave_cache(char* cache)
{
    __atomic_store_n(FIELD(int32_t, cache, CACHE_BUSY), 0, __ATOMIC_RELEASE);
}

/* The generated thunk to fall back on; NULL for a slot never described (a function pointer copied to another struct). */
static inline void* thunk_of(const BlockCache* cache, bool deallocate)
{
    return deallocate ? (void*)__atomic_load_n(&cache->deallocate, __ATOMIC_RELAXED)
                      : (void*)__atomic_load_n(&cache->allocate, __ATOMIC_RELAXED);
}

/*
 * Whether the thread's entry, found for self and this kind of call (its key), serves now: the description's
 * generation is the one it was attached under (one acquire load: the runtime stores the generation last when it publishes, with
 * release, and 0 first when it takes the description back, so a match is a published description of the same
 * strategy; an entry's generation is never 0). Called under the mark.
 */
static inline bool entry_serves(const AttachedThread* entry)
{
    return __atomic_load_n(entry->generation_word, __ATOMIC_ACQUIRE) == entry->generation;
}

/* The pool's block index of ptr from the entry's copy of the block description (block_index_at), or a value >=
 * block_count when ptr starts none. */
static inline uint64_t entry_block_index(const AttachedThread* entry, const void* ptr)
{
    return block_index_at(entry->start, entry->shift, entry->odd_inverse, ptr);
}

/*
 * The pool's fast path on the thread's object: a block from the cache, its state set, the allocation counted. NULL
 * (nothing changed) when the thunk must serve: an empty cache, a thief holding it, or one of the statistics' rare cases.
 * pool: the entry of the pool (a class's, for a routed strategy); counted: the entry whose counters take the
 * statistics (the strategy's own).
 */
static inline __attribute__((always_inline)) void* allocate_from_cache(const AttachedThread* pool,
                                                                       const AttachedThread* counted, size_t size)
{
    char* counters = counted->counters;
    int64_t count = *FIELD(int64_t, counters, COUNTER_ALLOCATIONS) + 1;
    if (count - *FIELD(int64_t, counters, COUNTER_DEALLOCATIONS) > *FIELD(int64_t, counters, COUNTER_LOCAL_PEAK)
        || (count & (PEAK_SAMPLE_INTERVAL - 1)) == 0) {
        return NULL;
    }

    char* cache = pool->cache;
    if (!enter_cache(cache)) {
        return NULL;
    }

    /* Unsigned, so that the new top indexes the stack as it is (a 32-bit value is zero-extended for free): one
     * register for the count, none saved. The count is never negative. */
    uint32_t top = *FIELD(uint32_t, cache, CACHE_COUNT);
    if (top == 0) {
        leave_cache(cache);
        return NULL;
    }

    top--;
    int32_t index = (*FIELD(int32_t*, cache, CACHE_ITEMS))[top];
    *FIELD(uint32_t, cache, CACHE_COUNT) = top;
    leave_cache(cache);

    /* A plain store, as the pool's own (PoolFastPath.HandOut): the block came from this thread's cache, so no correct
     * caller can be freeing it now. */
    __atomic_store_n((uint8_t*)&pool->states[index], pool->allocated, __ATOMIC_RELAXED);

    /* The counters: single writer (this thread owns the object); readers sum them with volatile reads. Their address
     * read again, not kept in a register through the pop (one register fewer: no register saved). */
    __asm__("" : "+r"(counted));
    counters = counted->counters;
    __atomic_store_n(FIELD(int64_t, counters, COUNTER_ALLOCATIONS), count, __ATOMIC_RELAXED);
    int64_t* bytes = FIELD(int64_t, counters, COUNTER_BYTES);
    __atomic_store_n(bytes, *bytes + (int64_t)size, __ATOMIC_RELAXED);
    return (void*)(pool->start + (uintptr_t)index * pool->stride);
}

/* The pool's fast path of a free: false (nothing changed) when the thunk must take it (a refused pointer included). */
static inline __attribute__((always_inline)) bool free_to_cache(const AttachedThread* pool, const AttachedThread* counted,
                                                                void* ptr)
{
    uint64_t index = entry_block_index(pool, ptr);
    if (index >= pool->block_count) {
        return false;
    }

    char* cache = pool->cache;
    if (!enter_cache(cache)) {
        return false;
    }

    uint32_t top = *FIELD(uint32_t, cache, CACHE_COUNT);
    uint8_t* state = (uint8_t*)&pool->states[index];
    uint32_t state_bytes = pool->state_bytes;
    bool freed = false;
    if (top != *FIELD(uint32_t, cache, CACHE_CAPACITY)) {
        if ((state_bytes & 0xFF0000u) != 0) {
            /* Strict: of two frees racing on this block exactly one wins (PoolFastPath.TryMarkFree). */
            uint8_t allocated = (uint8_t)state_bytes;
            freed = __atomic_compare_exchange_n(state, &allocated, (uint8_t)(state_bytes >> 8), false,
                                                __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
        } else if (__atomic_load_n(state, __ATOMIC_RELAXED) == (uint8_t)state_bytes) {
            __atomic_store_n(state, (uint8_t)(state_bytes >> 8), __ATOMIC_RELAXED);
            freed = true;
        }
    }

    if (freed) {
        (*FIELD(int32_t*, cache, CACHE_ITEMS))[top] = (int32_t)index;
        *FIELD(uint32_t, cache, CACHE_COUNT) = top + 1;
    }

    leave_cache(cache);
    if (freed) {
        /* The counters' address read now, not kept in a register through the push (one register fewer to save). */
        __asm__("" : "+r"(counted));
        char* counters = counted->counters;
        int64_t* deallocations = FIELD(int64_t, counters, COUNTER_DEALLOCATIONS);
        __atomic_store_n(deallocations, *deallocations + 1, __ATOMIC_RELAXED);
    }

    return freed;
}

/*
 * A routed strategy's classes for this thread: each class's object attached (a call into .NET per class, once per
 * thread) and its pool fields resolved (the statistics are the strategy's own: the caller passes its counters). NULL
 * when the array cannot be made; a class whose object cannot be had keeps a NULL cache, and its calls take the thunk.
 */
static AttachedThread* attach_classes(const MemoryStrategy* self, const SidePage* side, const SizeClasses* classes)
{
    AttachedThread* entries = calloc(classes->class_count, sizeof(AttachedThread));
    for (uint32_t i = 0; entries != NULL && i < classes->class_count; i++) {
        const BlockCache* cache = class_cache(classes, i);
        resolve_pool(&entries[i], side->attach_class(self, (int32_t)i), cache);

        /* The class's own status word gates its allocations (class_serves); without one, its calls take the thunk. */
        entries[i].status = ownership_of_cache(cache)->status;
        if (entries[i].status == NULL) {
            entries[i].cache = NULL;
        }
    }

    return entries;
}

/*
 * The thunk a call takes when the thread's entry does not serve it: for a runtime slot whose description is
 * published, it claims the thread's reader mark and makes its table on the first call, and attaches the strategy's
 * object for this thread when the entry names another slot or generation (a call into .NET, under the mark so the
 * strategy cannot be destroyed meanwhile, which also fixes the generation the entry records). NULL for a struct that
 * is not a runtime slot, or a slot never described: the call is refused, as a thunk refuses a struct it does not know.
 */
static __attribute__((noinline, cold)) void* attach_then_thunk(const MemoryStrategy* self, bool deallocate)
{
    /* .NET is detaching this thread (leave_runtime): refused, with no attach, no thunk and no table made again. */
    if (t_leaving) {
        return NULL;
    }

    const SlotPageHeader* page = runtime_page(self);
    const SidePage* side = page != NULL ? side_page(page) : NULL;
    if (side == NULL) {
        return NULL;
    }

    const BlockCache* cache = block_cache_of(side, self);
    Reader* reader = memory_strategy_claim_reader(side);
    if (reader == NULL) {
        /* No mark: the descriptions cannot be read safely; the thunks serve this thread. A thunk's address, once
         * written, is only ever replaced by another strategy's thunk, which refuses a struct of another type. */
        return thunk_of(cache, deallocate);
    }

    if (t_attached == NULL) {
        pthread_once(&g_attached_key_once, make_attached_key);
        AttachedThread* table = g_attached_key_made ? calloc(ATTACHED_COUNT, sizeof(AttachedThread)) : NULL;
        if (table != NULL && pthread_setspecific(g_attached_key, table) == 0) {
            t_attached = table;
        } else {
            free(table);
        }
    }

    uintptr_t outer = enter_slot(reader, self);
    AttachedThread* entry = t_attached != NULL ? attached_entry(t_attached, self) : NULL;
    uint64_t generation = __atomic_load_n(&cache->generation, __ATOMIC_ACQUIRE);
    if (entry != NULL && generation != 0
        && (ENTRY_SLOT(entry) != self || entry->generation != generation)) {
        /* Never half-written to a matching value, should the attach re-enter this code. */
        entry->key = 0;
        uintptr_t mode;
        free(entry->classes);
        entry->classes = NULL;
        char* object = side->attach(self);
        entry->generation = generation;
        entry->generation_word = &cache->generation;
        entry->status = &__atomic_load_n(&self->status_tracker, __ATOMIC_ACQUIRE)->status;
        resolve_counters(entry, object, cache);
        if ((cache->flags & CACHE_ROUTED) == 0) {
            resolve_pool(entry, object, cache);
            mode = entry->counters != NULL && entry->cache != NULL ? MODE_POOL : MODE_NONE;
        } else {
            /* The strategy's own object holds only its counters; the pools' fields are the classes'. */
            const SizeClasses* classes = cache->size_classes;
            entry->description = cache;
            entry->max_size = cache->max_size;
            entry->cache = NULL;
            entry->reservation_start = classes->reservation_start;
            entry->class_of_granule = class_of_granule(classes);
            entry->class_of_size = class_of_size(classes);
            entry->granule_count = classes->granule_count;
            entry->granule_shift = classes->granule_shift;
            entry->classes = entry->counters != NULL ? attach_classes(self, side, cache->size_classes) : NULL;
            mode = entry->classes != NULL ? MODE_ROUTED : MODE_NONE;
        }

        entry->key = (uintptr_t)self | mode;
    }

    void* thunk = thunk_of(cache, deallocate);
    leave_slot(reader, outer);
    return thunk;
}

static __attribute__((noinline, cold)) void* allocate_slow(MemoryStrategy* self, size_t size)
{
    void* (*thunk)(MemoryStrategy*, size_t) = (void* (*)(MemoryStrategy*, size_t))attach_then_thunk(self, false);
    if (thunk == NULL) {
        return NULL;
    }

    void* block = thunk(self, size);
    memory_strategy_entered_runtime();
    return block;
}

static __attribute__((noinline, cold)) void deallocate_slow(MemoryStrategy* self, void* ptr)
{
    void (*thunk)(MemoryStrategy*, void*) = (void (*)(MemoryStrategy*, void*))attach_then_thunk(self, true);
    if (thunk != NULL) {
        thunk(self, ptr);
        memory_strategy_entered_runtime();
    }
}

/* A call's hold on the thread's entry for self: the entry, and the reader mark it holds (with the mark it replaced). */
typedef struct Held {
    AttachedThread* entry;
    Reader* reader;
    uintptr_t outer;
} Held;

/*
 * The thread's entry for self under its mark, when it serves calls of this kind (MODE_POOL or MODE_ROUTED); false,
 * with no mark held, when the call must take the slow path. A routed entry reached through a pool's function, or the
 * reverse (a function pointer copied from another struct), is left to the strategy's thunk.
 */
static inline __attribute__((always_inline)) bool hold_entry(const MemoryStrategy* self, uint32_t mode, Held* held)
{
    /* A table exists only once the thread has held a reader mark; at its exit the mark may go back before the table.
     * From the thread's exit hook on (leave_runtime) the table is NULL: every call takes the slow path, which
     * refuses. */
    AttachedThread* table = t_attached;
    AttachedThread* entry = table != NULL ? attached_entry(table, self) : NULL;
    Reader* reader = t_reader;
    if (entry == NULL || entry->key != ((uintptr_t)self | mode) || reader == NULL) {
        return false;
    }

    held->entry = entry;
    held->reader = reader;
    held->outer = enter_slot(reader, self);
    if (entry_serves(entry)) {
        return true;
    }

    leave_slot(held->reader, held->outer);
    return false;
}

/* Allocate's gate, read under the mark: Ready, and 0 < size <= the largest size served in C. */
static inline bool allocation_admitted(const AttachedThread* entry, size_t size)
{
    return __atomic_load_n(entry->status, __ATOMIC_ACQUIRE) == STRATEGY_STATUS_READY && size - 1u < entry->max_size;
}

/* A size class's own gate: Ready or Degraded, as its nested entry point's. A faulted class is left to the thunk, where
 * the class refuses and the strategy serves the request as it does an exhausted class's. */
static inline bool class_serves(const AttachedThread* own)
{
    /* Acquire, as every status read here (allocation_admitted): transitions are CASes in .NET. */
    return (uint32_t)__atomic_load_n(own->status, __ATOMIC_ACQUIRE) - 1u < 2u;
}

/* Deallocate's gate: Ready, Degraded and Faulted take blocks back (a faulted strategy still lets its users return memory). */
static inline bool deallocation_admitted(const AttachedThread* entry)
{
    return (uint32_t)__atomic_load_n(entry->status, __ATOMIC_ACQUIRE) - 1u < 3u;
}

/* Ends a call: served in C (a block, or freed), or handed to the strategy's thunk, whose address is read under the mark. */
static inline __attribute__((always_inline)) void* finish_allocate(Held* held, size_t size, void* block)
{
    if (block != NULL) {
        leave_slot(held->reader, held->outer);
        return block;
    }

    void* (*thunk)(MemoryStrategy*, size_t) = held->entry->description->allocate;
    /* self from the entry's key, not kept in a register through the call (one register fewer to save). */
    MemoryStrategy* self = ENTRY_SLOT(held->entry);
    leave_slot(held->reader, held->outer);
    return thunk(self, size);
}

static inline __attribute__((always_inline)) void finish_deallocate(Held* held, void* ptr, bool freed)
{
    if (freed) {
        leave_slot(held->reader, held->outer);
        return;
    }

    void (*thunk)(MemoryStrategy*, void*) = held->entry->description->deallocate;
    MemoryStrategy* self = ENTRY_SLOT(held->entry);
    leave_slot(held->reader, held->outer);
    thunk(self, ptr);
}

void* memory_strategy_cached_allocate(MemoryStrategy* self, size_t size)
{
    Held held;
    if (!hold_entry(self, MODE_POOL, &held)) {
        return allocate_slow(self, size);
    }

    void* block = allocation_admitted(held.entry, size) ? allocate_from_cache(held.entry, held.entry, size) : NULL;
    return finish_allocate(&held, size, block);
}

void memory_strategy_cached_deallocate(MemoryStrategy* self, void* ptr)
{
    Held held;
    if (!hold_entry(self, MODE_POOL, &held)) {
        deallocate_slow(self, ptr);
        return;
    }

    finish_deallocate(&held, ptr,
                      deallocation_admitted(held.entry) && free_to_cache(held.entry, held.entry, ptr));
}

/*
 * A strategy that routes sizes to classes (CACHE_ROUTED: the size-class pool): its gate and its statistics, then the
 * class's pool fast path on the thread's object of that class. A size above the largest class, a pointer outside the
 * classes' reservation and everything the pool's fast path leaves go to the strategy's thunk, which routes them as
 * .NET does (the fallback strategy, an exhausted class's overflow).
 */
void* memory_strategy_routed_allocate(MemoryStrategy* self, size_t size)
{
    Held held;
    if (!hold_entry(self, MODE_ROUTED, &held)) {
        return allocate_slow(self, size);
    }

    void* block = NULL;
    if (allocation_admitted(held.entry, size)) {
        const AttachedThread* own = &held.entry->classes[held.entry->class_of_size[(size - 1u) >> 4]];
        block = own->cache != NULL && class_serves(own) ? allocate_from_cache(own, held.entry, size) : NULL;
    }

    return finish_allocate(&held, size, block);
}

void memory_strategy_routed_deallocate(MemoryStrategy* self, void* ptr)
{
    Held held;
    if (!hold_entry(self, MODE_ROUTED, &held)) {
        deallocate_slow(self, ptr);
        return;
    }

    /* The class owning ptr's granule of the reservation (a pointer below it wraps to a huge granule). */
    const AttachedThread* entry = held.entry;
    uint64_t granule = (uint64_t)((uintptr_t)ptr - entry->reservation_start) >> entry->granule_shift;
    bool freed = false;
    if (granule < entry->granule_count && deallocation_admitted(entry)) {
        const AttachedThread* own = &entry->classes[entry->class_of_granule[granule]];
        freed = own->cache != NULL && free_to_cache(own, held.entry, ptr);
    }

    finish_deallocate(&held, ptr, freed);
}

/* The functions' addresses, for the runtime to put in the vtables it describes (NativeExports.UseCachedCalls). */
EXPORT void memory_strategy_cached_calls(void** allocate, void** deallocate, void** routed_allocate,
                                         void** routed_deallocate)
{
    *allocate = (void*)memory_strategy_cached_allocate;
    *deallocate = (void*)memory_strategy_cached_deallocate;
    *routed_allocate = (void*)memory_strategy_routed_allocate;
    *routed_deallocate = (void*)memory_strategy_routed_deallocate;
}
