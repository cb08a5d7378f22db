//! TLS configuration: rustls on *ring*, with the platform's trust store loaded on
//! the first TLS handshake rather than when a client is built.
//!
//! Reading the system's CA bundle takes several milliseconds; a command that
//! fails validation, talks plain HTTP to a local endpoint, or only prints help
//! should not pay for it, and neither should a program's start-up.
//!
//! Every HTTP client the runtime builds gets its rustls configuration from here,
//! so reqwest never needs a process-wide crypto provider and the runtime never
//! installs one. The provider is the application's process default when it has
//! installed one (its choice wins: FIPS, another library, other suites), and
//! otherwise [`aws_provider`]: *ring* with what AWS endpoints negotiate and
//! nothing else, so the code of the algorithms it leaves out is not linked.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::ring::{cipher_suite, kx_group};
use rustls::crypto::{CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::SigningKey;
use rustls::{DigitallySignedStruct, Error, SignatureScheme};
use std::sync::{Arc, OnceLock};
use webpki::ring as algorithms;

/// A rustls client configuration: servers verified with the platform's trust store
/// (loaded lazily) when `verify` is true, any server certificate accepted when it
/// is false (handshake signatures are still checked).
pub(crate) fn client_config(verify: bool) -> Result<rustls::ClientConfig, Error> {
    let provider = provider();
    let verifier = Arc::new(Verifier {
        provider: provider.clone(),
        certificates: if verify {
            Certificates::Platform(OnceLock::new())
        } else {
            Certificates::AcceptAny
        },
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The application's process-wide provider if it installed one, else [`aws_provider`].
fn provider() -> Arc<CryptoProvider> {
    static OURS: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    match CryptoProvider::get_default() {
        Some(installed) => Arc::clone(installed),
        None => Arc::clone(OURS.get_or_init(|| Arc::new(aws_provider()))),
    }
}

/// *ring* limited to what AWS endpoints use: TLS 1.3 and 1.2 with AES-GCM, key
/// exchange over X25519, P-256 or P-384, and certificates signed with ECDSA (P-256,
/// P-384) or RSA (PKCS#1 v1.5, PSS).
///
/// Left out: ChaCha20-Poly1305 (AWS endpoints offer AES-GCM to every client, and
/// the CPUs this runs on have AES instructions), Ed25519 certificates (no public
/// certificate authority issues them), and loading private keys (the client never
/// presents a certificate). This keeps about 100 KB of unused cryptography out of
/// every program built on the client.
pub(crate) fn aws_provider() -> CryptoProvider {
    CryptoProvider {
        cipher_suites: vec![
            cipher_suite::TLS13_AES_128_GCM_SHA256,
            cipher_suite::TLS13_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ],
        kx_groups: vec![kx_group::X25519, kx_group::SECP256R1, kx_group::SECP384R1],
        signature_verification_algorithms: SIGNATURE_ALGORITHMS,
        secure_random: &SystemRandom,
        key_provider: &NoPrivateKeys,
    }
}

/// Certificate and handshake signature algorithms, most preferred first.
static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        algorithms::ECDSA_P256_SHA256,
        algorithms::ECDSA_P256_SHA384,
        algorithms::ECDSA_P384_SHA256,
        algorithms::ECDSA_P384_SHA384,
        algorithms::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        algorithms::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        algorithms::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        algorithms::RSA_PKCS1_2048_8192_SHA256,
        algorithms::RSA_PKCS1_2048_8192_SHA384,
        algorithms::RSA_PKCS1_2048_8192_SHA512,
        algorithms::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        algorithms::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        algorithms::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    // In TLS 1.2 a signature scheme does not fix the curve; in TLS 1.3 it does.
    mapping: &[
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[algorithms::ECDSA_P384_SHA384, algorithms::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[algorithms::ECDSA_P256_SHA256, algorithms::ECDSA_P384_SHA256],
        ),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[algorithms::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[algorithms::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[algorithms::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[algorithms::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[algorithms::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[algorithms::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

/// Randomness for handshakes, from the operating system through *ring*.
#[derive(Debug)]
struct SystemRandom;

impl SecureRandom for SystemRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), buf).map_err(|_| GetRandomFailed)
    }
}

/// The client presents no certificate, so it loads no private key.
#[derive(Debug)]
struct NoPrivateKeys;

impl KeyProvider for NoPrivateKeys {
    fn load_private_key(&self, _key_der: PrivateKeyDer<'static>) -> Result<Arc<dyn SigningKey>, Error> {
        Err(Error::General(
            "this client does not use client certificates, so it loads no private keys".to_owned(),
        ))
    }
}

/// How server certificates are checked; handshake signatures are verified either way.
#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    certificates: Certificates,
}

#[derive(Debug)]
enum Certificates {
    /// Against the platform's trust store, through the platform verifier made on first use.
    Platform(OnceLock<Result<rustls_platform_verifier::Verifier, Error>>),
    /// `verify_tls = false`: any certificate, for a local endpoint with a self-signed one.
    /// The server must still hold the key of the certificate it shows.
    AcceptAny,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match &self.certificates {
            Certificates::AcceptAny => Ok(ServerCertVerified::assertion()),
            Certificates::Platform(verifier) => verifier
                .get_or_init(|| rustls_platform_verifier::Verifier::new(self.provider.clone()))
                .as_ref()
                .map_err(Clone::clone)?
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_provider_is_consistent() {
        let provider = aws_provider();
        assert!(!provider.cipher_suites.is_empty());
        let schemes = provider.signature_verification_algorithms.supported_schemes();
        assert!(schemes.contains(&SignatureScheme::ECDSA_NISTP256_SHA256));
        assert!(schemes.contains(&SignatureScheme::RSA_PSS_SHA256));
        assert!(schemes.contains(&SignatureScheme::RSA_PKCS1_SHA256));
        assert!(!schemes.contains(&SignatureScheme::ED25519));
        let mut random = [0u8; 32];
        provider.secure_random.fill(&mut random).unwrap();
        assert_ne!(random, [0u8; 32]);
    }

    #[test]
    fn both_configurations_build() {
        assert!(client_config(true).is_ok());
        assert!(client_config(false).is_ok());
    }
}
