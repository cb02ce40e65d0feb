using MudBlazor;

namespace Nova.App.Components.Layout;

/// <summary>Nova's palette: deep indigo with a violet accent, calm surfaces that read well over the scene.</summary>
internal static class NovaTheme
{
    public static readonly MudTheme Value = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            Secondary = "#7c3aed",
            Tertiary = "#0ea5e9",
            AppbarBackground = "rgba(255,255,255,0.82)",
            AppbarText = "#1f2937",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "rgba(255,255,255,0.9)",
            DrawerText = "#1f2937",
            TextPrimary = "#111827",
            TextSecondary = "#4b5563",
            LinesDefault = "#e5e7eb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#818cf8",
            Secondary = "#a78bfa",
            Tertiary = "#38bdf8",
            AppbarBackground = "rgba(15,17,26,0.82)",
            AppbarText = "#e5e7eb",
            Background = "#0b0d14",
            Surface = "#151823",
            DrawerBackground = "rgba(17,19,29,0.92)",
            DrawerText = "#e5e7eb",
            TextPrimary = "#f3f4f6",
            TextSecondary = "#9ca3af",
            LinesDefault = "#262a38",
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "10px",
            DrawerWidthLeft = "280px",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
