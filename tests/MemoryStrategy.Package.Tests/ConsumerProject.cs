namespace MemoryStrategy.Package.Tests;

/// <summary>A fresh console project that references the packed package through a NuGet.config, as a user's would.</summary>
public sealed class ConsumerProject
{
    private ConsumerProject(string directory) => Directory = directory;

    public string Directory { get; }

    internal static ConsumerProject Create(PackedPackage package, string name, string source, string extraProperties)
    {
        string directory = System.IO.Directory.CreateDirectory(Path.Combine(package.Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{package.PackageCache}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MemoryStrategy" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), source);

        // Keep the consumer independent of the repository's Directory.Build.props and central package management.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        return new ConsumerProject(directory);
    }

    public (int ExitCode, string Output) Build() =>
        ProcessRunner.Run("dotnet", "build -c Release", Directory, TimeSpan.FromMinutes(5));

    public (int ExitCode, string Output) Run() =>
        ProcessRunner.Run("dotnet", "run -c Release --no-build", Directory, TimeSpan.FromMinutes(2));
}
