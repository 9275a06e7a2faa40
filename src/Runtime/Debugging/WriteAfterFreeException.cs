using System;

namespace MemoryStrategy;

/// <summary>
/// Thrown by the generated <c>Allocate</c> of a strategy built with <c>PoisonFreedMemory = true</c> when a block it
/// is about to hand out again no longer holds the poison it was freed with: someone wrote to it after freeing it. The
/// strategy is faulted and the block is kept out of circulation.
/// </summary>
public sealed class WriteAfterFreeException : InvalidOperationException
{
    /// <summary>Creates the exception for the damaged block.</summary>
    /// <param name="address">The block's address.</param>
    /// <param name="offset">The offset of the first byte that lost the poison.</param>
    /// <param name="found">The byte found there.</param>
    public WriteAfterFreeException(nint address, long offset, byte found)
        : base($"Block 0x{address:x} was written after it was freed: byte {offset} holds 0x{found:x2}, not the poison 0x{FreedMemoryPoison.Pattern:x2}.")
    {
        Address = address;
        Offset = offset;
    }

    /// <summary>The damaged block's address.</summary>
    public nint Address { get; }

    /// <summary>The offset of the first damaged byte.</summary>
    public long Offset { get; }
}
