return await Rollout.Cli.RolloutProgram.MainAsync(args).ConfigureAwait(false);
