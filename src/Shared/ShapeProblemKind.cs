namespace MemoryStrategy.SourceGeneration;

/// <summary>Why a <c>[MemoryStrategy]</c> class cannot be generated. Each maps to one shape diagnostic.</summary>
internal enum ShapeProblemKind
{
    /// <summary>MEM1001: the class or a containing type is not partial.</summary>
    NotPartial,

    /// <summary>MEM1002: no [Allocate] or no [Deallocate] method.</summary>
    MissingRequiredMarker,

    /// <summary>MEM1003: a marker method has the wrong signature.</summary>
    WrongSignature,

    /// <summary>MEM1004: a marker appears on more than one method.</summary>
    DuplicateMarker,

    /// <summary>MEM1005: generic, static, abstract, struct or record struct.</summary>
    UnsupportedType,

    /// <summary>MEM1006: the class declares a member the generator emits.</summary>
    ConflictingMember,

    /// <summary>MEM1008: <c>NativeExport</c> is not a C identifier, or no single constructor takes C-expressible parameters.</summary>
    NativeExport,
}
