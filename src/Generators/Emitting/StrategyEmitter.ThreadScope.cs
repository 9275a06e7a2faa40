namespace MemoryStrategy.SourceGeneration;

/// <summary><c>ForCurrentThread()</c> and the nested <c>ThreadScope</c> it returns.</summary>
internal static partial class StrategyEmitter
{
    private static void EmitThreadScope(SourceWriter writer, StrategyModel model)
    {
        string scope = EmittedNames.ThreadScopeType;
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// A handle on this strategy for the calling thread, for hot loops: its <c>Allocate</c> and <c>Deallocate</c>
            /// are this strategy's, with the same checks and statistics, minus the thread-local lookup every call through
            /// the strategy itself makes (on Linux x64 that lookup is most of a call's cost). It is a <c>ref struct</c>, so it
            /// lives on this thread's stack and can never reach another thread.
            /// </summary>
            /// <returns>The calling thread's scope.</returns>
            public {{scope}} ForCurrentThread() => new {{scope}}(this, {{EmittedNames.CurrentThread}});

            /// <summary>
            /// This strategy as seen from one thread (see <see cref="ForCurrentThread"/>). A <c>default</c> scope has no
            /// strategy: using it throws <see cref="global::System.NullReferenceException"/>.
            /// </summary>
            public readonly ref struct {{scope}}
            {
                private readonly {{model.TypeName}} _strategy;
                private readonly {{TypeNames.StrategyThread}} _thread;

                internal {{scope}}({{model.TypeName}} strategy, {{TypeNames.StrategyThread}} thread)
                {
                    _strategy = strategy;
                    _thread = thread;
                }

                /// <summary>The strategy's <see cref="{{TypeNames.IMemoryStrategy}}.Allocate"/>, on this thread.</summary>
                /// <param name="size">The size requested.</param>
                /// <returns>The block, or <see langword="null"/> when refused or exhausted.</returns>
                {{TypeNames.AggressiveInlining}}
                public void* Allocate(nuint size) => _strategy.{{EmittedNames.AllocateOn}}(_thread, size);

                /// <summary>The strategy's <see cref="{{TypeNames.IMemoryStrategy}}.Deallocate"/>, on this thread.</summary>
                /// <param name="ptr">The block to return.</param>
                {{TypeNames.AggressiveInlining}}
                public void Deallocate(void* ptr) => _strategy.{{EmittedNames.DeallocateOn}}(_thread, ptr);
            }
            """);
    }
}
