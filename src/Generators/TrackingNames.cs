namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The names given to the pipeline's steps with <c>WithTrackingName</c>. Tests read each step's run reasons by
/// these names, so they are the contract between the pipeline and its incrementality tests.
/// </summary>
internal static class TrackingNames
{
    /// <summary>Every <c>[MemoryStrategy]</c> declaration turned into a model, or null when it cannot be generated.</summary>
    public const string Candidates = "MemoryStrategy.Candidates";

    /// <summary>The models of the strategies the generator emits.</summary>
    public const string Strategies = "MemoryStrategy.Strategies";

    /// <summary>The hint names two strategies would share, ignoring case (see <see cref="HintNames"/>).</summary>
    public const string HintNameCollisions = "MemoryStrategy.HintNameCollisions";

    /// <summary>Every tracked step, in pipeline order.</summary>
    public static readonly string[] All = [Candidates, Strategies, HintNameCollisions];
}
