namespace ContactCenter.Engine; internal static class Placeholder { }
