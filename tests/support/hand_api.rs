//! The scaffolding of an API declared by hand in a test: its description and the client type
//! that `#[endpoint]` methods are declared on.

/// Declares `$api`, an `ApiDescription` named after itself with no servers (tests give the
/// base URL), and `$client`, a client holding the `Core` its endpoints use.
macro_rules! hand_api {
    ($api:ident, $client:ident) => {
        struct $api;

        impl vendor_clients::ApiDescription for $api {
            const NAME: &'static str = stringify!($api);
            const SERVERS: &'static [vendor_clients::ServerSpec] = &[];
        }

        #[derive(Debug, Clone)]
        struct $client {
            core: vendor_clients::Core,
        }

        impl vendor_clients::Endpoints for $client {
            fn core(&self) -> &vendor_clients::Core {
                &self.core
            }
        }
    };
}
