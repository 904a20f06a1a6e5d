using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(DinoCompiled.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
