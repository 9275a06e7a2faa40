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
 * Lifetime: the descriptions are read under the thread's reader mark (memory_strategy_slots.h), so destroying the
 * strategy waits for a call in flight before the caches and state bytes are freed. A thread finds its object in a
 * table of its own, keyed by the slot, with the description's generation (a slot reused by another strategy gets a
 * new one): an entry of a strategy destroyed since never matches again. An entry whose slot is self proves self a
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
 * One strategy's object for this thread, resolved when it was attached: the slot; the description's generation it was
 * attached under; the slot's cache and block descriptions; the strategy's status word; and the addresses of the
 * fields of the thread's object the fast paths use (NULL counters: the runtime had no object to give, so this
 * thread's calls take the thunks). All valid while the description is published: the strategy and the object's pin live until
 * the description is taken back, and that waits for this thread's mark.
 */
typedef struct AttachedThread {
    uintptr_t slot;
    uint64_t generation;
    const BlockCache* cache;
    const int32_t* status;
    int32_t* busy;
    const int32_t* steal_lock;
    int32_t* count;
    int32_t* const* items;
    const int32_t* capacity;
    int64_t* allocations;
    int64_t* deallocations;
    int64_t* bytes;
    const int64_t* local_peak;
    const Ownership* blocks;
    /* A routed strategy's entry (CACHE_ROUTED): one entry per class, whose pool fields are the class's object's and
     * whose counters are this strategy's (the classes count nothing of their own, as in .NET by default); NULL else. */
    struct AttachedThread* classes;
    uintptr_t unused;
} AttachedThread;

_Static_assert(sizeof(AttachedThread) == 128, "two cache lines per entry");

/* Entries per thread, direct-mapped by the slot's address (two strategies sharing an entry re-attach on each switch,
 * which costs a call into .NET: slots of one page never share one). */
#define ATTACHED_COUNT 128u

/* This thread's entries, made on its first attach (after its reader mark) and freed when it exits. */
static __thread AttachedThread* t_attached __attribute__((tls_model("initial-exec")));
static pthread_key_t g_attached_key;
static pthread_once_t g_attached_key_once = PTHREAD_ONCE_INIT;
static bool g_attached_key_made;

/* Set when the thread's table was freed at its exit: a call from a later destructor of the same thread (another
 * library's) then takes the thunk, as every call did before the C calls existed, rather than read freed memory or
 * attach again in C. Such a call is not supported at all: .NET cannot serve a thread it has already detached (a
 * NativeAOT library fails fast; CoreCLR attaches the thread again and loses track of it when it ends, and a later
 * garbage collection crashes, as a test that tried it showed). */
static __thread bool t_exiting __attribute__((tls_model("initial-exec")));

/* At thread exit: the classes' arrays and the table go, and the thread-local forgets them. */
static void free_attached(void* table)
{
    AttachedThread* entries = (AttachedThread*)table;
    for (uint32_t i = 0; i < ATTACHED_COUNT; i++) {
        free(entries[i].classes);
    }

    t_attached = NULL;
    t_exiting = true;
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

/* A field of the thread's object, by its offset from the object's first field. */
#define FIELD(type, object, offset) ((type*)((object) + (offset)))

/* The pool's fields of object, the thread's object for the pool that cache describes (busy NULL: no object). */
static void resolve_pool(AttachedThread* entry, char* object, const BlockCache* cache)
{
    entry->cache = cache;
    entry->blocks = ownership_of_cache(cache);
    entry->busy = NULL;
    if (object == NULL) {
        return;
    }

    entry->busy = FIELD(int32_t, object, cache->busy_offset);
    entry->steal_lock = FIELD(int32_t, object, cache->steal_lock_offset);
    entry->count = FIELD(int32_t, object, cache->count_offset);
    entry->items = FIELD(int32_t*, object, cache->items_offset);
    entry->capacity = FIELD(int32_t, object, cache->capacity_offset);
}

/* The statistics' counters of object, at the offsets a slot's cache description gives (NULL: no object). */
static void resolve_counters(AttachedThread* entry, char* object, const BlockCache* slot_cache)
{
    entry->allocations = object != NULL ? FIELD(int64_t, object, slot_cache->allocations_offset) : NULL;
    entry->deallocations = object != NULL ? FIELD(int64_t, object, slot_cache->deallocations_offset) : NULL;
    entry->bytes = object != NULL ? FIELD(int64_t, object, slot_cache->bytes_offset) : NULL;
    entry->local_peak = object != NULL ? FIELD(int64_t, object, slot_cache->local_peak_offset) : NULL;
}

/*
 * The owner's entry to its cache (PoolThread.TryEnter): a plain store of 1 to the busy flag, then a load of the
 * thieves' lock. A thief takes the lock by CAS, runs a process-wide barrier, then waits for the flag to read 0: if the
 * store came before that barrier's fence on this core the thief sees it and waits; if after, this load sees the lock
 * and backs off (an asymmetric Dekker handshake). The compiler fence keeps the load after the store.
 */
static inline bool enter_cache(int32_t* busy, const int32_t* steal_lock)
{
    __atomic_store_n(busy, 1, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(steal_lock, __ATOMIC_RELAXED) == 0) {
        return true;
    }

    __atomic_store_n(busy, 0, __ATOMIC_RELAXED);
    return false;
}

/* The owner's exit (PoolThread.Exit). Release: a thief that reads 0 sees every write to the stack before it. */
static inline void leave_cache(int32_t* busy)
{
    __atomic_store_n(busy, 0, __ATOMIC_RELEASE);
}

/* The generated thunk to fall back on; NULL for a slot never described (a function pointer copied to another struct). */
static inline void* thunk_of(const BlockCache* cache, bool deallocate)
{
    return deallocate ? (void*)__atomic_load_n(&cache->deallocate, __ATOMIC_RELAXED)
                      : (void*)__atomic_load_n(&cache->allocate, __ATOMIC_RELAXED);
}

/*
 * Whether the thread's entry for self is usable now: the description's generation is the one it was attached under
 * (one acquire load: the runtime stores the generation last when it publishes, with release, and 0 first when it takes
 * the description back, so a nonzero match is a published description of the same strategy), and it has an object.
 * Called under the mark.
 */
static inline bool entry_serves(const AttachedThread* entry)
{
    return __atomic_load_n(&entry->cache->generation, __ATOMIC_ACQUIRE) == entry->generation
        && entry->allocations != NULL;
}

/*
 * The pool's fast path on the thread's object: a block from the cache, its state set, the allocation counted. NULL
 * (nothing changed) when the thunk must serve: an empty cache, a thief holding it, or one of the statistics' rare cases.
 */
static inline __attribute__((always_inline)) void* allocate_from_cache(const AttachedThread* entry, size_t size)
{
    int64_t count = *entry->allocations + 1;
    if (count - *entry->deallocations > *entry->local_peak || (count & (PEAK_SAMPLE_INTERVAL - 1)) == 0) {
        return NULL;
    }

    int32_t* busy = entry->busy;
    if (!enter_cache(busy, entry->steal_lock)) {
        return NULL;
    }

    int32_t top = *entry->count;
    if (top == 0) {
        leave_cache(busy);
        return NULL;
    }

    int32_t index = (*entry->items)[top - 1];
    *entry->count = top - 1;
    leave_cache(busy);

    /* A plain store, as the pool's own (FixedBlockPool.HandOut): the block came from this thread's cache, so no correct
     * caller can be freeing it now. */
    const Ownership* blocks = entry->blocks;
    __atomic_store_n((uint8_t*)&blocks->states[index], (uint8_t)blocks->allocated, __ATOMIC_RELAXED);

    /* The counters: single writer (this thread owns the object); readers sum them with volatile reads. */
    __atomic_store_n(entry->allocations, count, __ATOMIC_RELAXED);
    __atomic_store_n(entry->bytes, *entry->bytes + (int64_t)size, __ATOMIC_RELAXED);
    return (void*)(blocks->start + (uintptr_t)index * entry->cache->stride);
}

/* The pool's fast path of a free: false (nothing changed) when the thunk must take it (a refused pointer included). */
static inline __attribute__((always_inline)) bool free_to_cache(const AttachedThread* entry, void* ptr)
{
    const Ownership* blocks = entry->blocks;
    uint64_t index = block_index(blocks, ptr);
    if (index >= blocks->count) {
        return false;
    }

    int32_t* busy = entry->busy;
    if (!enter_cache(busy, entry->steal_lock)) {
        return false;
    }

    int32_t top = *entry->count;
    uint8_t* state = (uint8_t*)&blocks->states[index];
    uint8_t allocated = (uint8_t)blocks->allocated;
    const BlockCache* cache = entry->cache;
    bool freed = false;
    if (top != *entry->capacity) {
        if (cache->flags & CACHE_STRICT) {
            /* Of two frees racing on this block exactly one wins (FixedBlockPool.TryMarkFree). */
            freed = __atomic_compare_exchange_n(state, &allocated, cache->free_state, false, __ATOMIC_SEQ_CST,
                                                __ATOMIC_RELAXED);
        } else if (__atomic_load_n(state, __ATOMIC_RELAXED) == allocated) {
            __atomic_store_n(state, cache->free_state, __ATOMIC_RELAXED);
            freed = true;
        }
    }

    if (freed) {
        (*entry->items)[top] = (int32_t)index;
        *entry->count = top + 1;
    }

    leave_cache(busy);
    if (freed) {
        __atomic_store_n(entry->deallocations, *entry->deallocations + 1, __ATOMIC_RELAXED);
    }

    return freed;
}

/*
 * A routed strategy's classes for this thread: each class's object attached (a call into .NET per class, once per
 * thread), its pool fields resolved, with the strategy's own counters (entry's object, at its cache's offsets). NULL
 * when the array cannot be made; a class whose object cannot be had keeps a NULL busy field, and its calls take the
 * thunk.
 */
static AttachedThread* attach_classes(const MemoryStrategy* self, const SidePage* side, const AttachedThread* entry,
                                      char* object)
{
    const SizeClasses* classes = entry->cache->size_classes;
    AttachedThread* entries = calloc(classes->class_count, sizeof(AttachedThread));
    for (uint32_t i = 0; entries != NULL && i < classes->class_count; i++) {
        resolve_pool(&entries[i], side->attach_class(self, (int32_t)i), class_cache(classes, i));
        resolve_counters(&entries[i], object, entry->cache);
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
    const SlotPageHeader* page = runtime_page(self);
    const SidePage* side = page != NULL ? side_page(page) : NULL;
    if (side == NULL) {
        return NULL;
    }

    const BlockCache* cache = block_cache_of(side, self);
    Reader* reader = t_exiting ? NULL : memory_strategy_claim_reader(side);
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
    if (entry != NULL && generation != 0 && (entry->slot != (uintptr_t)self || entry->generation != generation)) {
        /* Never half-written to a matching value, should the attach re-enter this code. */
        entry->slot = 0;
        free(entry->classes);
        entry->classes = NULL;
        char* object = side->attach(self);
        entry->generation = generation;
        entry->status = &__atomic_load_n(&self->status_tracker, __ATOMIC_ACQUIRE)->status;
        resolve_counters(entry, object, cache);
        if ((cache->flags & CACHE_ROUTED) == 0) {
            resolve_pool(entry, object, cache);
        } else {
            /* The strategy's own object holds only its counters; the pools' fields are the classes'. */
            entry->cache = cache;
            entry->busy = NULL;
            entry->classes = object != NULL ? attach_classes(self, side, entry, object) : NULL;
        }

        entry->slot = (uintptr_t)self;
    }

    void* thunk = thunk_of(cache, deallocate);
    leave_slot(reader, outer);
    return thunk;
}

static void* refuse_allocate(MemoryStrategy* self, size_t size)
{
    (void)self;
    (void)size;
    return NULL;
}

static void refuse_deallocate(MemoryStrategy* self, void* ptr)
{
    (void)self;
    (void)ptr;
}

static __attribute__((noinline, cold)) void* allocate_slow(MemoryStrategy* self, size_t size)
{
    void* (*thunk)(MemoryStrategy*, size_t) = (void* (*)(MemoryStrategy*, size_t))attach_then_thunk(self, false);
    return (thunk != NULL ? thunk : refuse_allocate)(self, size);
}

static __attribute__((noinline, cold)) void deallocate_slow(MemoryStrategy* self, void* ptr)
{
    void (*thunk)(MemoryStrategy*, void*) = (void (*)(MemoryStrategy*, void*))attach_then_thunk(self, true);
    (thunk != NULL ? thunk : refuse_deallocate)(self, ptr);
}

/* A call's hold on the thread's entry for self: the entry, and the reader mark it holds (with the mark it replaced). */
typedef struct Held {
    AttachedThread* entry;
    Reader* reader;
    uintptr_t outer;
} Held;

/*
 * The thread's entry for self under its mark, when it serves calls of this kind (a routed strategy's, or a pool's);
 * false, with no mark held, when the call must take the slow path. A routed entry reached through a pool's function,
 * or the reverse (a function pointer copied from another struct), is left to the strategy's thunk.
 */
static inline __attribute__((always_inline)) bool hold_entry(const MemoryStrategy* self, bool routed, Held* held)
{
    /* A table exists only once the thread has held a reader mark; at its exit the mark may go back before the table. */
    AttachedThread* table = t_attached;
    AttachedThread* entry = table != NULL ? attached_entry(table, self) : NULL;
    Reader* reader = t_reader;
    if (entry == NULL || entry->slot != (uintptr_t)self || reader == NULL) {
        return false;
    }

    held->entry = entry;
    held->reader = reader;
    held->outer = enter_slot(reader, self);
    /* A pool's entry has the pool's fields (busy), a routed strategy's its classes; never both. */
    if (entry_serves(entry) && (routed ? entry->classes != NULL : entry->busy != NULL)) {
        return true;
    }

    leave_slot(held->reader, held->outer);
    return false;
}

/* Allocate's gate, read under the mark: Ready, and 0 < size <= the largest size served in C. */
static inline bool allocation_admitted(const AttachedThread* entry, size_t size)
{
    return __atomic_load_n(entry->status, __ATOMIC_ACQUIRE) == STRATEGY_STATUS_READY && size - 1u < entry->cache->max_size;
}

/* Deallocate's gate: Ready, Degraded and Faulted take blocks back (a faulted strategy still lets its users return memory). */
static inline bool deallocation_admitted(const AttachedThread* entry)
{
    return (uint32_t)__atomic_load_n(entry->status, __ATOMIC_ACQUIRE) - 1u < 3u;
}

/* Ends a call: served in C (a block, or freed), or handed to the strategy's thunk, whose address is read under the mark. */
static inline __attribute__((always_inline)) void* finish_allocate(Held* held, MemoryStrategy* self, size_t size, void* block)
{
    if (block != NULL) {
        leave_slot(held->reader, held->outer);
        return block;
    }

    void* (*thunk)(MemoryStrategy*, size_t) = held->entry->cache->allocate;
    leave_slot(held->reader, held->outer);
    return thunk(self, size);
}

static inline __attribute__((always_inline)) void finish_deallocate(Held* held, MemoryStrategy* self, void* ptr, bool freed)
{
    if (freed) {
        leave_slot(held->reader, held->outer);
        return;
    }

    void (*thunk)(MemoryStrategy*, void*) = held->entry->cache->deallocate;
    leave_slot(held->reader, held->outer);
    thunk(self, ptr);
}

void* memory_strategy_cached_allocate(MemoryStrategy* self, size_t size)
{
    Held held;
    if (!hold_entry(self, false, &held)) {
        return allocate_slow(self, size);
    }

    void* block = allocation_admitted(held.entry, size) ? allocate_from_cache(held.entry, size) : NULL;
    return finish_allocate(&held, self, size, block);
}

void memory_strategy_cached_deallocate(MemoryStrategy* self, void* ptr)
{
    Held held;
    if (!hold_entry(self, false, &held)) {
        deallocate_slow(self, ptr);
        return;
    }

    finish_deallocate(&held, self, ptr, deallocation_admitted(held.entry) && free_to_cache(held.entry, ptr));
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
    if (!hold_entry(self, true, &held)) {
        return allocate_slow(self, size);
    }

    void* block = NULL;
    if (allocation_admitted(held.entry, size)) {
        const AttachedThread* own = &held.entry->classes[class_of_size(held.entry->cache->size_classes)[(size - 1u) >> 4]];
        block = own->busy != NULL ? allocate_from_cache(own, size) : NULL;
    }

    return finish_allocate(&held, self, size, block);
}

void memory_strategy_routed_deallocate(MemoryStrategy* self, void* ptr)
{
    Held held;
    if (!hold_entry(self, true, &held)) {
        deallocate_slow(self, ptr);
        return;
    }

    /* The class owning ptr's granule of the reservation (a pointer below it wraps to a huge granule). */
    const SizeClasses* classes = held.entry->cache->size_classes;
    uint64_t granule = (uint64_t)((uintptr_t)ptr - classes->reservation_start) >> classes->granule_shift;
    bool freed = false;
    if (granule < classes->granule_count && deallocation_admitted(held.entry)) {
        const AttachedThread* own = &held.entry->classes[class_of_granule(classes)[granule]];
        freed = own->busy != NULL && free_to_cache(own, ptr);
    }

    finish_deallocate(&held, self, ptr, freed);
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
