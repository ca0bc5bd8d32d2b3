package org.parley.app.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

@Command(
    name = "parley",
    versionProvider = ParleyVersion.class,
    description = {
      "Diplomatic talks as streams of events: events in, one state per talk and alerts out, on Kafka.",
      "",
      "Start here: `parley up` runs everything on an embedded broker and tells the 2016 Geneva story."
    },
    subcommands = {
      UpCommand.class,
      RunCommand.class,
      PublishCommand.class,
      TailCommand.class,
      TopicsCommand.class,
      TalkCommand.class,
      RebuildCommand.class,
      DiffCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      FeedCommand.class,
      FollowFeedCommand.class,
      BenchCommand.class,
      SubscribeCommand.class,
      HelpCommand.class,
      AutoComplete.GenerateCompletion.class
    })
final class ParleyCommand {}
