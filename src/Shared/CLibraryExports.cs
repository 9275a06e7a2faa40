using System.Collections.Generic;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The functions of the C library (ISO C11 threads, POSIX, glibc) named <c>x_create</c> or <c>x_destroy</c>: a
/// <c>NativeExport</c> prefix that makes one of them would define it in the NativeAOT shared library, and in an ELF
/// process the library's definition takes the place of the C library's for every caller (symbol interposition):
/// <c>NativeExport = "pthread"</c> would turn every <c>pthread_create</c> of the process into a strategy's constructor.
/// </summary>
internal static class CLibraryExports
{
    private static readonly HashSet<string> Names = new(System.StringComparer.Ordinal)
    {
        // POSIX threads.
        "pthread_create", "pthread_key_create", "pthread_attr_destroy", "pthread_mutex_destroy",
        "pthread_mutexattr_destroy", "pthread_cond_destroy", "pthread_condattr_destroy", "pthread_rwlock_destroy",
        "pthread_rwlockattr_destroy", "pthread_spin_destroy", "pthread_barrier_destroy", "pthread_barrierattr_destroy",

        // ISO C11 threads.
        "thrd_create", "tss_create", "mtx_destroy", "cnd_destroy",

        // POSIX semaphores, timers and spawn attributes; Linux descriptors.
        "sem_destroy", "timer_create", "posix_spawnattr_destroy", "posix_spawn_file_actions_destroy",
        "epoll_create", "timerfd_create", "memfd_create",
    };

    /// <summary>The C library function that <c>prefix_create</c> or <c>prefix_destroy</c> would replace, or null.</summary>
    public static string? Clash(string prefix)
    {
        foreach (string suffix in new[] { "_create", "_destroy" })
        {
            if (Names.Contains(prefix + suffix))
            {
                return prefix + suffix;
            }
        }

        return null;
    }
}
