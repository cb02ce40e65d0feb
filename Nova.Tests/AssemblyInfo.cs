// The suite runs on Linux: it starts PostgreSQL and Chromium from Debian's packages.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
