using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HelpdeskSidecar.Configuration;
using Microsoft.AspNetCore.DataProtection;

namespace HelpdeskSidecar.Access;

/// <summary>
/// <c>Sidecar:Access:KeyRing</c>: the certificate whose public key encrypts the data-protection key ring at rest (the keys
/// that sign the console cookies and antiforgery tokens). Linux has no DPAPI, so an encrypted key ring needs a key kept
/// elsewhere: a certificate mounted from a secret store is the one the framework supports on every platform
/// (<c>ProtectKeysWithCertificate</c>). Unset, the key files are not encrypted, and are readable by the sidecar's user only.
/// </summary>
public sealed class KeyRingOptions
{
    /// <summary>A PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) with the private key, or a PEM certificate with <see cref="CertificateKeyFile"/>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PKCS#12 file's password, or the PEM key's when it is encrypted.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key for a PEM <see cref="CertificateFile"/>.</summary>
    public string? CertificateKeyFile { get; set; }
}

internal static class KeyRingProtection
{
    private const string Key = AccessOptions.Section + ":KeyRing";

    /// <summary>Keys in <c>{DataDir}/keys</c>, encrypted with the configured certificate when there is one.</summary>
    public static void AddKeyRing(this IHostApplicationBuilder builder)
    {
        var keys = Path.Combine(builder.Configuration.GetSidecarOptions().FullDataDir, Hosting.PrivateFiles.KeysFolder);
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("HelpdeskSidecar")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        var options = builder.Configuration.GetSection(Key).Get<KeyRingOptions>() ?? new KeyRingOptions();
        if (string.IsNullOrWhiteSpace(options.CertificateFile))
            return;
        var certificate = Load(options);
        // Decrypting needs the private key; on Linux it is found through this list rather than a certificate store.
        dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    private static X509Certificate2 Load(KeyRingOptions options)
    {
        var file = options.CertificateFile!;
        if (!File.Exists(file))
            throw new SidecarConfigurationException($"'{Key}:CertificateFile' '{file}' does not exist.");
        X509Certificate2 certificate;
        try
        {
            certificate = string.IsNullOrWhiteSpace(options.CertificateKeyFile)
                ? X509CertificateLoader.LoadPkcs12FromFile(file, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet)
                : string.IsNullOrEmpty(options.CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(file, options.CertificateKeyFile)
                    : X509Certificate2.CreateFromEncryptedPemFile(file, options.CertificatePassword, options.CertificateKeyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SidecarConfigurationException(
                $"'{Key}:CertificateFile' cannot be read as a certificate with its private key (wrong password, or a PEM file without '{Key}:CertificateKeyFile'?): {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
            throw new SidecarConfigurationException($"'{Key}:CertificateFile' must hold an RSA certificate with its private key.");
        return certificate;
    }
}
