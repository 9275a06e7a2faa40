namespace MemoryStrategy.Analyzers.Tests;

/// <summary>Builds the test sources: a file with the usual usings around the snippet under test.</summary>
internal static class Sources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Runtime.InteropServices;
        using System.Threading.Tasks;
        using MemoryStrategy;

        """;

    /// <summary>Valid core methods, for snippets that only add members around them.</summary>
    public const string Cores = """
            [Allocate] private void* AllocateCore(nuint size) => null;
            [Deallocate] private void DeallocateCore(void* ptr) { }
            [Owns] private bool OwnsCore(void* ptr) => false;
        """;

    /// <summary>A file holding <paramref name="code"/> at namespace level.</summary>
    public static string File(string code) => Usings + code + "\n";

    /// <summary>A valid strategy <c>S</c> with <paramref name="members"/> added to its body.</summary>
    public static string Strategy(string members) => File(
        "[MemoryStrategy]\npublic sealed unsafe partial class S\n{\n" + Cores + "\n" + members + "\n}");

    /// <summary>A strategy <c>S</c> whose whole body is <paramref name="members"/> (the snippet writes its own cores).</summary>
    public static string StrategyBody(string members) => File(
        "[MemoryStrategy(TrackAllocations = true)]\npublic sealed unsafe partial class S\n{\n" + members + "\n}");

    /// <summary>A hand-written <see cref="IMemoryStrategy"/>, for callers' code that needs a concrete type.</summary>
    public const string Implementation = """
        public sealed unsafe class Impl : IMemoryStrategy
        {
            public void* Allocate(nuint size) => null;
            public void Deallocate(void* ptr) { }
            public StrategyStatus GetStatus() => StrategyStatus.Ready;
            public bool Validate() => true;
            public bool Owns(void* ptr) => false;
            public nuint MaxAllocationSize => 1;
            public StatusTracker StatusTracker => null!;
            public void Dispose() { }
        }
        """;

    /// <summary>A caller class <c>C</c> holding <paramref name="members"/>, beside <see cref="Implementation"/>.</summary>
    public static string Caller(string members) => File("public unsafe class C\n{\n" + members + "\n}\n" + Implementation);
}
