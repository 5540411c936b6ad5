namespace Annals.Samples.Bank.Tests;

/// <summary>Bounded waiting for a condition that nothing signals (a health report): checked again and again until it holds or time is up.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> holds, string what)
    {
        var deadline = DateTime.UtcNow + BankClient.Patience;
        while (true)
        {
            var value = await probe();
            if (holds(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still not {what} after {BankClient.Patience.TotalSeconds} s; last seen: {value}");
            await Task.Delay(20);
        }
    }
}
