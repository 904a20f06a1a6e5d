using System;
using DinoCompiled.Cli;

return DinoCli.Run(args, Console.Out, Console.Error);
