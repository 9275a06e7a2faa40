namespace MemoryStrategy.Package.Tests;

/// <summary>The package fixture's check of the machine's NuGet cache, which it falls back on.</summary>
public sealed class MachineCacheTests
{
    [Fact]
    public void A_machine_cache_holding_a_memorystrategy_package_is_refused_with_the_folder_to_remove()
    {
        string cache = Directory.CreateTempSubdirectory("memorystrategy-machine-cache-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(cache, "microsoft.codeanalysis.csharp", "4.8.0"));
            PackedPackage.ThrowIfMachineCacheHoldsThisPackage(cache);

            string stale = Directory.CreateDirectory(Path.Combine(cache, "memorystrategy", "0.1.0")).Parent!.FullName;
            var refused = Assert.Throws<InvalidOperationException>(() => PackedPackage.ThrowIfMachineCacheHoldsThisPackage(cache));
            Assert.Contains("rm -rf " + stale, refused.Message);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
