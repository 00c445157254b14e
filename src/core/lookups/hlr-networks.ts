/**
 * Mobile networks the HLR simulator assigns numbers to, by country: their MCC/MNC as the ITU
 * lists them. libphonenumber-js carries no carrier data, so this is a short hand-made table of
 * each country's main networks; a number of another country gets no network.
 */

export interface MobileNetwork {
  mcc: string;
  mnc: string;
  name: string;
}

const net = (mcc: string, mnc: string, name: string): MobileNetwork => ({ mcc, mnc, name });

export const MOBILE_NETWORKS: Readonly<Record<string, readonly MobileNetwork[]>> = {
  AT: [net('232', '01', 'A1'), net('232', '03', 'Magenta'), net('232', '05', 'Drei')],
  BE: [net('206', '01', 'Proximus'), net('206', '10', 'Orange'), net('206', '20', 'BASE')],
  CA: [net('302', '220', 'Telus'), net('302', '610', 'Bell'), net('302', '720', 'Rogers')],
  CH: [net('228', '01', 'Swisscom'), net('228', '02', 'Sunrise'), net('228', '03', 'Salt')],
  DE: [net('262', '01', 'Telekom'), net('262', '02', 'Vodafone'), net('262', '03', 'O2')],
  ES: [net('214', '01', 'Vodafone'), net('214', '03', 'Orange'), net('214', '07', 'Movistar')],
  FR: [
    net('208', '01', 'Orange'),
    net('208', '10', 'SFR'),
    net('208', '15', 'Free Mobile'),
    net('208', '20', 'Bouygues Telecom'),
  ],
  GB: [
    net('234', '10', 'O2'),
    net('234', '15', 'Vodafone'),
    net('234', '20', 'Three'),
    net('234', '30', 'EE'),
  ],
  IE: [net('272', '01', 'Vodafone'), net('272', '02', 'Three'), net('272', '03', 'Eir')],
  IT: [net('222', '01', 'TIM'), net('222', '10', 'Vodafone'), net('222', '88', 'WindTre')],
  LU: [net('270', '01', 'POST'), net('270', '77', 'Tango'), net('270', '99', 'Orange')],
  NL: [net('204', '04', 'Vodafone'), net('204', '08', 'KPN'), net('204', '16', 'Odido')],
  PT: [net('268', '01', 'Vodafone'), net('268', '03', 'NOS'), net('268', '06', 'MEO')],
  US: [net('310', '260', 'T-Mobile'), net('310', '410', 'AT&T'), net('311', '480', 'Verizon')],
};
