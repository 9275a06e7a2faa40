namespace MemoryStrategy.Samples.Tests;

public class SizeClassesTests
{
    [Fact]
    public void Every_size_gets_the_smallest_class_that_holds_it()
    {
        for (nuint size = 1; size <= SizeClasses.Largest; size++)
        {
            int index = SizeClasses.IndexOf(size);
            Assert.True(SizeClasses.BlockSize(index) >= size, $"{size} B went to the {SizeClasses.BlockSize(index)} B class");
            if (index > 0)
            {
                Assert.True(SizeClasses.BlockSize(index - 1) < size, $"{size} B fits the {SizeClasses.BlockSize(index - 1)} B class");
            }
        }
    }

    [Fact]
    public void The_classes_run_from_16_bytes_to_32_KiB_in_multiples_of_16_with_at_most_a_third_wasted_above_32_bytes()
    {
        nuint[] sizes = Enumerable.Range(0, SizeClasses.Count).Select(SizeClasses.BlockSize).ToArray();

        Assert.Equal((nuint)16, sizes[0]);
        Assert.Equal((nuint)(32 * 1024), sizes[^1]);
        Assert.Equal(new nuint[] { 16, 32, 48, 64, 96, 128, 192, 256 }, sizes[..8]);
        Assert.All(sizes, size => Assert.Equal((nuint)0, size % 16));
        for (int i = 2; i < sizes.Length; i++)
        {
            // The worst request of class i is one byte above class i - 1.
            Assert.True(sizes[i] * 2 <= (sizes[i - 1] + 1) * 3, $"{sizes[i]} after {sizes[i - 1]}");
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => SizeClasses.BlockSize(SizeClasses.Count));
    }
}
